// libFuzzer target for the ZIP input path: the input is an archive, listed by InputScanner
// (entry names, entry count and declared-size limits), each entry read by InputReader (inflated
// bytes, ratio and total limits) and, when the read is ok, run through processImage(), at most
// 64 items per input. Production limits. See fuzzharness.h for the checks.
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
    const sluice::fuzz::RunReport report = sluice::fuzz::runZip(bytes, sluice::fuzz::scratchDir());
    sluice::fuzz::finishInput("fuzz_zip", report);
    return 0;
}
