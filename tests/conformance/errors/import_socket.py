print("before the import")
import socket
