// libFuzzer target for the HEIF/HEIC and AVIF (libheif, libde265, libaom/dav1d) decoder: the input
// is one file, run through processImage() as fuzz_decode runs it (fuzzharness.h), but only when
// HeifCodec recognises it, so the time goes to this decoder and not to the formats fuzz_decode
// covers. Seeds are made by run-fuzzers.sh with the codec's own tools; run it with
// fuzz/run-fuzzers.sh.
#include "fuzzmain.h"

#include <cstddef>
#include <cstdint>
#include <heifcodec.h>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    sluice::fuzz::initializeFuzzer();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const sluice::HeifCodec codec;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!codec.decoderFor(bytes))
        return -1; // not this format: not added to the corpus
    const sluice::fuzz::RunReport report =
        sluice::fuzz::runDecode(bytes, sluice::fuzz::scratchDir());
    sluice::fuzz::finishInput("fuzz_heif", report);
    return 0;
}
