# ReLUs adding up to any shape: a sum of n ReLUs, each w * max(0, m*x + b), fitted by gradient
# descent to the noisy data (n = 2, 5, 20) and to a wiggly shape, sin(3x) + x (n = 20).
# The parameters start from torch.manual_seed(42); the loss is printed every 200 steps.
import torch, numpy as np
def f(x): return 3 * x**2 + 2 * x + 1
def noise(x, scale): return np.random.normal(scale=scale, size=x.shape)
def add_noise(x, mult, add): return x * (1 + noise(x, mult)) + noise(x, add)
np.random.seed(42)
x = torch.linspace(-2, 2, steps=40)
y = add_noise(f(x), 0.15, 1.5)
def mse(preds, acts): return ((preds - acts)**2).mean()
def relus(m, b, w, x): return (torch.clip(m[:, None] * x + b[:, None], min=0.0) * w[:, None]).sum(0)

def fit(n, target, lr=0.01, steps=1000):
    torch.manual_seed(42)
    m, b, w = torch.randn(n), torch.randn(n), torch.randn(n)
    for p in (m, b, w): p.requires_grad_()
    for i in range(steps):
        loss = mse(relus(m, b, w, x), target)
        loss.backward()
        with torch.no_grad():
            for p in (m, b, w):
                p -= p.grad * lr
                p.grad.zero_()
        if i % 200 == 0: print(f"n={n}; step {i}; loss: {loss:.4f}")
    with torch.no_grad(): print(f"n={n}; final loss: {mse(relus(m, b, w, x), target):.4f}")
    return m, b, w

for n in (2, 5, 20):
    m, b, w = fit(n, y)
print(m)
print(b)
print(w)
shape = torch.sin(3 * x) + x
m, b, w = fit(20, shape, lr=0.05, steps=2000)
print(w)
