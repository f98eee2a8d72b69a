// libFuzzer target for the decode path: the input is one image file, run through
// processImage() (read, header, pixel limit, decode, scale, flatten, encode) with production
// limits. See fuzzharness.h for the checks; run it with fuzz/run-fuzzers.sh.
#include "fuzzmain.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sluice::fuzz::initializeFuzzer();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const sluice::fuzz::RunReport report =
        sluice::fuzz::runDecode(bytes, sluice::fuzz::scratchDir());
    sluice::fuzz::finishInput("fuzz_decode", report);
    return 0;
}
