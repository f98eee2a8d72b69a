// The process set-up both libFuzzer targets share (LLVMFuzzerInitialize): a QCoreApplication
// for Qt's image plugins (as sluice-cli has), the production process limits, Qt's warnings
// silenced, and a per-process scratch folder in memory (/dev/shm) for the input file.
#pragma once

#include "fuzzharness.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace sluice::fuzz {

inline void discardMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    // libpng/libjpeg/libtiff complaints about broken inputs arrive as Qt warnings, thousands per
    // second; printing them would be most of a run's time. Fatal messages still abort.
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "Qt fatal: %s\n", qPrintable(message));
        std::abort();
    }
}

// The scratch folder of this process, under $SLUICE_FUZZ_SCRATCH (run-fuzzers.sh sets it and
// removes it at the end), else /dev/shm; removed at exit, but left behind (with at most one
// input in it) when the process dies of a crash.
inline QString scratchDir()
{
    static QTemporaryDir dir([] {
        QString base = qEnvironmentVariable("SLUICE_FUZZ_SCRATCH");
        if (base.isEmpty())
            base = QFileInfo(QStringLiteral("/dev/shm")).isWritable() ? QStringLiteral("/dev/shm")
                                                                      : QDir::tempPath();
        return base + QStringLiteral("/sluice-fuzz-XXXXXX");
    }());
    if (!dir.isValid()) {
        std::fprintf(stderr, "fuzz: cannot create a scratch folder: %s\n",
                     qPrintable(dir.errorString()));
        std::abort();
    }
    return dir.path();
}

// libFuzzer's extra coverage counters (it reads this section as it reads the 8-bit counters of
// instrumented code, and clears it before every input): one counter per outcome signature
// (fuzzharness.h), hashed. It gives the fuzzer a view into the uninstrumented decoders: an input
// that makes Qt fail in a new way, or decodes a format for the first time, is kept.
// (This header is included by one source file per fuzzer, hence the unnamed namespace.)
namespace {
__attribute__((used, section("__libfuzzer_extra_counters"))) uint8_t outcomeCounters[4096];

void countSignatures(const RunReport &report)
{
    for (const QString &signature : report.signatures) {
        uint8_t &counter = outcomeCounters[qHash(signature, 0) % sizeof outcomeCounters];
        if (counter < 255)
            ++counter;
    }
}
} // namespace

// After each input: counts its signatures, prints its outcomes when SLUICE_FUZZ_PRINT is set
// (to see what a corpus does: pass files, not folders, and -runs=0), and prints every violation
// and aborts (a crash for libFuzzer) when there is one.
inline void finishInput(const char *target, const RunReport &report)
{
    countSignatures(report);
    static const bool print = !qEnvironmentVariableIsEmpty("SLUICE_FUZZ_PRINT");
    if (print) {
        for (const QString &line : report.signatures)
            std::fprintf(stderr, "%s: signature: %s\n", target, qPrintable(line));
        for (const QString &line : report.outcomes)
            std::fprintf(stderr, "%s: outcome: %s\n", target, qPrintable(line));
    }
    if (report.violations.isEmpty())
        return;
    for (const QString &v : report.violations)
        std::fprintf(stderr, "%s: violation: %s\n", target, qPrintable(v));
    std::abort();
}

inline void initializeFuzzer()
{
    // Failpoints inject failures on purpose; never under the fuzzer.
    qunsetenv("SLUICE_FAILPOINTS");
    if (qEnvironmentVariableIsEmpty("SLUICE_FUZZ_VERBOSE"))
        qInstallMessageHandler(discardMessages);
    static int argc = 1;
    static char name[] = "sluice-fuzz";
    static char *argv[] = {name, nullptr};
    // Never destroyed: it must outlive libFuzzer's exit path, which runs at any time.
    new QCoreApplication(argc, argv);
    applyProcessLimits(fuzzRecipe()); // as main() of every entry point does
    scratchDir();
}

// The body of a fuzzer for one codec's decoder (fuzz_heif, fuzz_jxl): inputs `codec` does not
// recognise are rejected at once (-1: not added to the corpus), so the time goes to its decoder
// and not to the formats fuzz_decode covers; the rest run as fuzz_decode runs them.
inline int fuzzOneCodec(const ImageCodec &codec, const char *target, const uint8_t *data,
                        size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!codec.decoderFor(bytes))
        return -1;
    finishInput(target, runDecode(bytes, scratchDir()));
    return 0;
}

} // namespace sluice::fuzz
