# The lesson's first plot: f(x) = 3x^2 + 2x + 1 over [-2.1, 2.1] (plotly's px.line in the notebook).
# Prints the numbers behind the plot; examples/how-nets-work/plot-quadratic.ts prints the same.
import torch
def plot_function(f, title=None, min=-2.1, max=2.1):
    x = torch.linspace(min, max, steps=100)
    y = f(x)
    return x, y  # the lesson: px.line(x=x, y=y, title=title)
def f(x): return 3 * x**2 + 2 * x + 1
x, y = plot_function(f, title=r"$3x^2 + 2x + 1$")
print(x[::11])
print(y[::11])
print(f"lowest: f({x[y.argmin()]:.4f}) = {y.min():.4f}")
