# One ReLU: a line y = m*x + b with everything below zero clipped to zero.
# The lesson's plot_function(partial(rectified_linear, 1, 1)); prints the numbers behind it.
import torch
from functools import partial
def plot_function(f, title=None, min=-2.1, max=2.1):
    x = torch.linspace(min, max, steps=100)
    y = f(x)
    return x, y
def rectified_linear(m, b, x):
    y = m * x + b
    return torch.clip(y, min=0.0)
x, y = plot_function(partial(rectified_linear, 1, 1))
print(x[::11])
print(y[::11])
for m, b in [(1, 1), (2, -1), (-1.5, 0.5)]:
    print(f"m={m}, b={b}: {rectified_linear(m, b, torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0]))}")
