import asyncio, sys

print(sys.argv)
