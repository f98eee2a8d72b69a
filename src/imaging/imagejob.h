// One task: one input image -> one output. processImage() is what a pool task runs; it passes
// the image through stages, each a function or small class in its own file with its own tests:
//
//   1. source    InputReader: the bytes in memory (a file, or a ZIP entry)     checkpoint Read
//   2. probe     probestage.h: a decoder chosen by content (CodecRegistry) reads the header
//   3. limits    limitstage.h: pixel limits on what will be decoded and made, before any
//                pixel is allocated; known damage (truncated JPEG/GIF)
//      (output)  encodestage.h chooses the encoder, commitstage.h reserves the output name
//   4. decode    decodestage.h: at reduced scale where the codec can         checkpoint Decoded
//   5. colour    colourstage.h: the output's colour space and profile (pass-through for now)
//   6. resample  resamplestage.h: smooth scale, crop, flatten onto white   checkpoint Scaled
//   7. metadata  metadatastage.h: what is embedded (the blocks pass through; Sluice's stamps)
//   8. encode    encodestage.h: into memory, with the recipe's settings    checkpoint Encoded
//   9. commit    commitstage.h: the bytes to the Sink
//
// Codecs (codec.h, Qt's in qtcodec.h) sit behind one interface: a decoder by sniffed content,
// an encoder by output format, so a new format is a new codec and no stage changes.
//
// Cancellation is checked at each checkpoint; a canceled task returns TaskOutcome::canceled()
// and leaves no output (the sink reservation is released, and FolderSink's QSaveFile never
// renames). Failures are classified: transient for I/O that may pass (busy, vanished, still
// being written, read errors), permanent for corrupt or truncated data, unsupported formats
// and limits. Non-images (by content) are Skipped. A full output disk is TaskOutcome::blocked():
// the pool pauses the batch instead of burning retries.
//
// The outcome's detail holds an ImageResult (QVariant::fromValue) for every Done and Skipped
// outcome (ImageResult::skip says why it was skipped); failures carry no detail.
//
// Threading: processImage() is reentrant; call it from any number of workers at once with the
// same Recipe, InputReader and Sink (all read-only or thread-safe).
#pragma once

#include "encodestage.h"
#include "imageresult.h"
#include "inputitem.h"
#include "inputreader.h"
#include "recipe.h"
#include "sink.h"

#include <functional>
#include <pooltypes.h>

namespace sluice {

// The checkpoints of a job, in order. Tests hook them to cancel at a known point.
enum class JobStage : quint8
{
    Read,    // bytes in memory
    Decoded, // pixels in memory
    Scaled,  // resized (and flattened)
    Encoded  // bytes of the output in memory, just before the sink commit
};

// Optional hooks, mostly for tests. Both are called on the worker thread.
struct JobOptions
{
    FileOpener opener;                     // how input files are opened; empty: QFile
    std::function<void(JobStage)> onStage; // called at each checkpoint, before it is checked
    // Called once an output name is reserved (or a skip decided), before decoding: the journal
    // records it, so a resume can tell a written output from one that never was.
    std::function<void(const Reservation &)> onReserved;
};

TaskOutcome processImage(const InputItem &item, const Recipe &recipe, Sink &sink,
                         const TaskContext &ctx, const JobOptions &options);
// Same, with default options.
TaskOutcome processImage(const InputItem &item, const Recipe &recipe, Sink &sink,
                         const TaskContext &ctx);

// outputFormatFor() and extensionFor() are declared in encodestage.h.

// A rough peak-memory estimate for the pool's memory budget: bytes of the input plus a guess
// at the decoded pixels (compressed images are typically 1/10 of their RGBA size), capped at
// what the pixel limit allows.
qint64 estimateCostBytes(qint64 inputBytes, const Recipe &recipe);

} // namespace sluice
