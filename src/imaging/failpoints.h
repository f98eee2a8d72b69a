// Failpoints: faults injected on purpose at named points of the image job, so that tests (and
// anyone reproducing a problem) can prove how Sluice behaves when reads fail, disks fill up or
// the process dies half-way. Off unless configured; when off, a hit costs one relaxed atomic
// load.
//
// Configured from the environment variable SLUICE_FAILPOINTS (read once, at the first hit) or
// by configure(). The spec is a ';'-separated list of `point=action[:modifier]...`:
//
//   points     read     reading an input's bytes (InputReader)
//              decode   just before the pixels are decoded
//              write    writing an output (FolderSink, before anything reaches the disk)
//   actions    transient   an I/O error that may pass (retried by the pool)
//              permanent   an error that will not pass (never retried)
//              enospc      "No space left on device"
//              crash       the process aborts on the spot (for crash and resume tests)
//   modifiers  N%          fire on N percent of the hits (random, seeded by
//                          SLUICE_FAILPOINTS_SEED, default 1: the same run repeats)
//              once        fire on the first matching hit only; Nx: on the first N
//              after=N     let the first N matching hits pass
//              match=TEXT  only for inputs whose path (or archive entry) contains TEXT
//
// Example: SLUICE_FAILPOINTS="read=transient:30%;write=enospc:once"
//
// Threading: hit() and configure() may be called from any thread at any time.
#pragma once

#include <QString>
#include <QtGlobal>

namespace sluice {

enum class FailAction : quint8
{
    None,
    Transient,
    Permanent,
    DiskFull,
    Crash
};

class Failpoints
{
public:
    // Replaces the whole configuration. An empty spec turns every point off. On a malformed
    // spec nothing changes, false is returned and `error` says what is wrong.
    static bool configure(const QString &spec, QString *error = nullptr);
    // Reads SLUICE_FAILPOINTS now (hit() does it on its own the first time). A malformed value
    // is reported on stderr and ignored. Returns the spec in force ("" when off).
    static QString configureFromEnvironment();
    // The action for one hit of `point` ("read", "decode", "write"); `subject` is what the
    // match= modifier looks at. Crash never returns: the process aborts here.
    static FailAction hit(const char *point, const QString &subject = {});
    // How many times `point` has fired since the last configure().
    static int fired(const char *point);

    // The message an injected failure carries: "injected transient I/O error (failpoint read)".
    static QString message(FailAction action, const char *point);
};

} // namespace sluice
