## The PyTorch runner and the Jupyter kernel (included by Makefile.am).
## Each test skips when its Python packages are absent.

## tools/tvl_torch.py: the C executor's tokens and residuals, the
## examples' exported programs, a batch against single runs.
TESTS += tests/torch-check.sh
EXTRA_DIST += tests/torch-check.sh tests/torch_check.py tools/tvl_torch.py
