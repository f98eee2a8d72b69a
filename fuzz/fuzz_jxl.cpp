// libFuzzer target for the JPEG XL (libjxl) decoder: the input is one file, run through
// processImage() as fuzz_decode runs it (fuzzharness.h), but only when JxlCodec recognises it, so
// the time goes to this decoder and not to the formats fuzz_decode covers. Seeds are made by
// run-fuzzers.sh with the codec's own tools; run it with fuzz/run-fuzzers.sh.
#include "fuzzmain.h"

#include <cstddef>
#include <cstdint>
#include <jxlcodec.h>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sluice::fuzz::initializeFuzzer();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const sluice::JxlCodec codec;
    return sluice::fuzz::fuzzOneCodec(codec, "fuzz_jxl", data, size);
}
