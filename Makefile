# The two commands a new user needs: `make run` and `make test`.
# Both install the Debian packages the project needs when they are missing,
# configure meson, build, and then run or test.

BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON_OPTS ?=

.PHONY: run test test-asan bench deps build clean

deps:
	@bash build-aux/install-deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

# The desktop app, on the tutorial's three-factorial gather.  Without a
# display (no DISPLAY or WAYLAND_DISPLAY) the same scenario runs through
# loopscope-cli instead: its output, a trace and a PNG of its timeline.
SCENARIO ?= data/scenarios/gather_factorial.py
RUN_OUT  ?= $(BUILD)/run

run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -x ./$(BUILD)/app/loopscope ]; then \
	  echo "Opening Loopscope on $(SCENARIO)"; \
	  ./$(BUILD)/app/loopscope $(SCENARIO); \
	else \
	  [ -x ./$(BUILD)/app/loopscope ] || echo "(the desktop app is not built: GTK 4 is missing)"; \
	  echo "No display: running $(SCENARIO) with loopscope-cli instead"; \
	  mkdir -p $(RUN_OUT); \
	  name=$$(basename $(SCENARIO) .py); \
	  ./$(BUILD)/app/loopscope-cli run $(SCENARIO) --trace $(RUN_OUT)/$$name.sqlite; status=$$?; \
	  if ./$(BUILD)/app/loopscope-cli render $(RUN_OUT)/$$name.sqlite -o $(RUN_OUT)/$$name.png >/dev/null 2>&1; then \
	    echo "Trace: $(RUN_OUT)/$$name.sqlite   Timeline: $(RUN_OUT)/$$name.png"; \
	  else \
	    echo "Trace: $(RUN_OUT)/$$name.sqlite"; \
	  fi; \
	  exit $$status; \
	fi

test: build
	meson test -C $(BUILD) --print-errorlogs

test-asan: deps
	@test -f $(ASAN_BUILD)/build.ninja || \
	  meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTS)
	meson compile -C $(ASAN_BUILD)
	meson test -C $(ASAN_BUILD) --print-errorlogs --setup=asan

bench: build
	bash tests/bench/run.sh $(BUILD)
	bash tests/bench/run-lang.sh $(BUILD)
	bash tests/bench/run-trace.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
