import asyncio
from os import path

print(path.exists("x"))
