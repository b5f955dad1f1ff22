# The noisy data: f's values with multiplicative and additive noise from numpy's legacy generator,
# seeded with 42 (the lesson's px.scatter(x=x, y=y)). Prints the 40 points.
import torch, numpy as np
def f(x): return 3 * x**2 + 2 * x + 1
def noise(x, scale): return np.random.normal(scale=scale, size=x.shape)
def add_noise(x, mult, add): return x * (1 + noise(x, mult)) + noise(x, add)
np.random.seed(42)
x = torch.linspace(-2, 2, steps=40)
y = add_noise(f(x), 0.15, 1.5)
print(x)
print(y)
