import time
from pathlib import Path
