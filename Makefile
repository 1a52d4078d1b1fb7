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

# The tutorial's three-factorial gather, run in virtual time.
SCENARIO ?= data/scenarios/gather_factorial.py

run: build
	./$(BUILD)/app/loopscope-cli run $(SCENARIO)

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
