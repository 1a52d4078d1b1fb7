# An uncaught user exception with a chained cause: the final line names the
# user's class and message.
class BudgetExceeded(Exception):
    pass

def spend(amount, budget):
    if amount > budget:
        try:
            raise ValueError(amount)
        except ValueError as e:
            raise BudgetExceeded(f"spent {amount}, budget {budget}") from e
    return budget - amount

print(spend(5, 10))
print(spend(50, 10))
