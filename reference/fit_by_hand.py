# Fitting by hand: the lesson's sliders for a, b and c, as a few settings a person might try, each
# with its mean squared error against the noisy data.
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
for a, b, c in [(1.5, 1.5, 1.5), (2.5, 1.5, 1.5), (3.5, 1.5, 1.5), (3.0, 2.0, 1.5), (3.0, 2.0, 1.0), (3.0, 2.0, 0.5)]:
    print(f"a={a:.1f}, b={b:.1f}, c={c:.1f}: MSE {quad_mse([a, b, c]):.4f}")
