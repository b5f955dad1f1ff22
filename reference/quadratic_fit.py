# Gradient descent on a, b and c, continued to 100 steps: the fitted quadratic the lesson arrives at.
import torch, numpy as np
from functools import partial
def f(x): return 3 * x**2 + 2 * x + 1
def quad(a, b, c, x): return a * x**2 + b * x + c
def mkquad(a, b, c): return partial(quad, a, b, c)
def noise(x, scale): return np.random.normal(scale=scale, size=x.shape)
def add_noise(x, mult, add): return x * (1 + noise(x, mult)) + noise(x, add)
np.random.seed(42)
x = torch.linspace(-2, 2, steps=40)
y = add_noise(f(x), 0.15, 1.5)
def mse(preds, acts): return ((preds - acts)**2).mean()
def quad_mse(params):
    f = mkquad(*params)
    return mse(f(x), y)
abc = torch.tensor([1.5, 1.5, 1.5]); abc.requires_grad_()
for i in range(100):
    loss = quad_mse(abc)
    loss.backward()
    with torch.no_grad():
        abc -= abc.grad * 0.01
        if i % 10 == 0 or i == 99: print(f"Step {i}; loss: {loss:.4f}")
        abc.grad.zero_()
print(abc)
print(f"final loss: {quad_mse(abc):.4f}")
