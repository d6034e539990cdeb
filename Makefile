# Thin wrapper over meson/ninja: ./configure && make && make check
BUILD_DIR ?= build
NINJA_JOBS ?= 2

all: $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j$(NINJA_JOBS)

$(BUILD_DIR)/build.ninja:
	./configure --builddir=$(BUILD_DIR)

check: all
	scripts/run-tests.sh $(BUILD_DIR)

check-unit: all
	scripts/run-tests.sh $(BUILD_DIR) --suite unit

check-qtest: all
	scripts/run-tests.sh $(BUILD_DIR) --suite qtest

check-e2e: all
	scripts/run-tests.sh $(BUILD_DIR) --suite e2e

bench: all
	meson test -C $(BUILD_DIR) --benchmark --verbose

clean:
	rm -rf $(BUILD_DIR)

.PHONY: all check check-unit check-qtest check-e2e bench clean
