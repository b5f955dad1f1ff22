# Two ReLUs added together: a slope down that hooks up into another slope.
# The lesson's plot_function(partial(double_relu, 1, 1, -1, 1)); prints the numbers behind it.
import torch
from functools import partial
def plot_function(f, title=None, min=-2.1, max=2.1):
    x = torch.linspace(min, max, steps=100)
    y = f(x)
    return x, y
def rectified_linear(m, b, x):
    y = m * x + b
    return torch.clip(y, min=0.0)
def double_relu(m1, b1, m2, b2, x):
    return rectified_linear(m1, b1, x) + rectified_linear(m2, b2, x)
x, y = plot_function(partial(double_relu, 1, 1, -1, 1))
print(x[::11])
print(y[::11])
print(f"lowest: {y.min():.4f}; at the ends: {y[0]:.4f}, {y[-1]:.4f}")
