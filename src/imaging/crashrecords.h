// Crash records: when the process dies of SIGSEGV, SIGBUS, SIGILL, SIGFPE or SIGABRT, a signal
// handler appends the line {"t":"crash","sig":"NN"} to every watched journal, then lets the
// previous disposition (the default, or a sanitizer's) run. A resume tells a crash (whose
// in-flight inputs become suspects) from a kill (whose in-flight inputs are simply redone).
//
// The handler uses only async-signal-safe calls: it writes a preformatted line to descriptors
// registered beforehand. Thread-safe; the handlers are installed on the first watch().
#pragma once

namespace sluice::crashrecords {

constexpr int MaxWatched = 16; // journals open at once that get crash records

// Starts writing crash records to `fd` (an open, append-only journal). Returns a slot for
// unwatch(), or -1 when MaxWatched descriptors are watched already.
int watch(int fd);
// Stops; `slot` -1 is ignored. Call before closing the descriptor.
void unwatch(int slot);

} // namespace sluice::crashrecords
