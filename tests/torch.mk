## The PyTorch runner and the Jupyter kernel (included by Makefile.am).
## Each test skips when its Python packages are absent.

## tools/tvl_torch.py: the C executor's tokens and residuals, the
## examples' exported programs, a batch against single runs.
TESTS += tests/torch-check.sh
EXTRA_DIST += tests/torch-check.sh tests/torch_check.py tools/tvl_torch.py

## tvl-kernel, the Jupyter kernel, and the example notebook it runs.
TESTS += tests/kernel-check.sh
EXTRA_DIST += tests/kernel-check.sh tests/kernel_check.py tools/tvl_kernel.py \
	tools/tvl-kernel.in examples/seed.ipynb

## make install: the tools, the tvl-kernel command and its kernelspec
## (share/jupyter/kernels/tvl, where Jupyter looks under /usr/local and
## /usr; for another prefix, add PREFIX/share/jupyter to JUPYTER_PATH).
pkgdata_DATA = tools/tvl_run.py tools/tvl_torch.py tools/tvl_kernel.py
bin_SCRIPTS = tvl-kernel
CLEANFILES += tvl-kernel
tvl_kernel_python = $(PYTHON)
tvl-kernel: $(srcdir)/tools/tvl-kernel.in Makefile
	$(AM_V_GEN)sed -e 's|@PYTHON[@]|$(tvl_kernel_python)|g' \
	  -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' -e 's|@bindir[@]|$(bindir)|g' \
	  $(srcdir)/tools/tvl-kernel.in >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@
kernelspecdir = $(datadir)/jupyter/kernels/tvl
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(kernelspecdir)'
	printf '{"argv": ["%s", "-f", "{connection_file}"],\n "display_name": "tvl", "language": "tvl", "interrupt_mode": "signal"}\n' \
	  '$(bindir)/tvl-kernel' >'$(DESTDIR)$(kernelspecdir)/kernel.json'
uninstall-local:
	rm -f '$(DESTDIR)$(kernelspecdir)/kernel.json'
