# Two entry points do all set-up on a fresh machine: `make bench` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: bench test lint docs floors clean

# torch==2.13.0 is installed first on its own: any other torch request would
# pull the CUDA build; with it in place the package's torch>=2.4 adds nothing.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test,plot,dask]"
	touch $(STAMP)

# The README's samplers on the bundled data sets: a verdict, the tables, the figures.
# Rows land in results/bench.csv; a rerun reuses the cells whose code did not change.
bench: $(STAMP)
	$(BIN)/python -m benchmarks --n-jobs -1 --repeats 1 \
		--samplers none-tuned ros-shrink smote gan vae \
		--output results/bench.csv --plot results/bench_figures

lint: $(STAMP)
	$(BIN)/ruff check imblearn_deepgen tests benchmarks
	$(BIN)/ruff format --check imblearn_deepgen tests benchmarks

test: lint
	$(BIN)/pytest -n 2 -q

# Fresh build every time: the examples and snippets run against the current code.
docs: $(STAMP)
	$(BIN)/pip install --quiet -e ".[docs]"
	rm -rf docs/_build docs/_generated docs/generated docs/auto_examples
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

# The test suite on the oldest versions pyproject.toml declares (torch aside: any
# other build would pull CUDA), in its own environment; matplotlib 3.7 keeps NumPy 1.
FLOORS := .venv-floors
floors:
	$(PYTHON) -m venv $(FLOORS)
	$(FLOORS)/bin/pip install --quiet torch==2.13.0
	$(FLOORS)/bin/pip install --quiet numpy==1.24.4 pandas==2.0.0 scipy==1.10.1 \
		scikit-learn==1.6.0 imbalanced-learn==0.13.0 tqdm==4.60.0 threadpoolctl==3.1.0 \
		matplotlib==3.7.5 "contourpy<1.3" pytest pytest-xdist hypothesis
	$(FLOORS)/bin/pip install --quiet --no-deps -e .
	$(FLOORS)/bin/pytest -n 2 -q -p no:cacheprovider

clean:
	rm -rf $(VENV) $(FLOORS) build *.egg-info .pytest_cache .hypothesis docs/_build
