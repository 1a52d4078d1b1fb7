# title: Greenlets playing ping-pong with switch()
# description: Two greenlets hand control to each other explicitly with
# description: switch(), from inside a loop and from a nested call: nothing
# description: runs unless someone switches to it. Each switch carries a
# description: value across, and when ping returns, its value goes to its
# description: parent, the main greenlet, whose first switch() then returns.
# reference: documented semantics
from greenlet import greenlet


def hit(ball):
    # A switch from a nested call suspends the whole greenlet, stack and all.
    return pong.switch(ball + 1)


def ping_player(rounds):
    ball = 0
    for i in range(rounds):
        print(f"ping sends {ball}")
        ball = hit(ball)
        print(f"ping got {ball} back")
    return f"ping finished with {ball}"


def pong_player(ball):
    while True:
        print(f"pong got {ball}")
        ball = ping.switch(ball * 10)


ping = greenlet(ping_player)
pong = greenlet(pong_player)
print("main: start")
result = ping.switch(3)
print(f"main: {result}")
print(f"ping dead: {ping.dead}, pong dead: {pong.dead}")
