// One task: one input image -> one output. processImage() is what a pool task runs:
//
//   read bytes (InputReader) -> header (QImageReader: format by content, size, orientation)
//   -> pixel limit, before any pixel is allocated -> reserve an output name (Sink)
//   -> decode (JPEG at reduced scale via setScaledSize) -> smooth scale / crop
//   -> flatten onto white for JPEG -> encode (QImageWriter) into memory -> commit (Sink)
//
// Cancellation is checked between every two steps; a canceled task returns
// TaskOutcome::canceled() and leaves no output (the sink reservation is released, and
// FolderSink's QSaveFile never renames). Failures are classified: transient for I/O that may
// pass (busy, vanished, still being written, read errors), permanent for corrupt or truncated
// data, unsupported formats and limits. Non-images (by content) are Skipped. A full output
// disk is TaskOutcome::blocked(): the pool pauses the batch instead of burning retries.
//
// The outcome's detail holds an ImageResult (QVariant::fromValue) for every Done and Skipped
// outcome (ImageResult::skip says why it was skipped); failures carry no detail.
//
// Threading: processImage() is reentrant; call it from any number of workers at once with the
// same Recipe, InputReader and Sink (all read-only or thread-safe).
#pragma once

#include "inputitem.h"
#include "inputreader.h"
#include "recipe.h"
#include "sink.h"

#include <QMetaType>
#include <QSize>
#include <QString>
#include <functional>
#include <pooltypes.h>

namespace sluice {

struct ImageResult
{
    // Why a Skipped outcome was skipped (None for Done).
    enum class Skip : quint8
    {
        None,
        NotAnImage,   // by content; no output name was reserved
        UpToDate,     // incremental run: the existing output is current
        OutputExists, // conflict policy Skip
        DoneBefore,   // resumed run: the journal says an earlier run wrote this output
        Hidden,       // the scanner's reasons (InputItem::ScanSkip), never read
        SluiceOutput,
        LinkLoop,
        LinkRepeat
    };
    Skip skip = Skip::None;
    QString outputPath; // FolderSink: absolute path; ZipSink: entry name
    QSize inputSize;    // as displayed, after EXIF orientation
    QSize outputSize;
    qint64 outputBytes = 0;
    qint64 elapsedMs = 0;   // wall time inside processImage()
    QByteArray inputFormat; // "jpeg", "png", ...
    QByteArray outputFormat;
};

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

// The Qt format name used to encode an input of format `inputFormat` under `format`
// ("jpeg", "png", "webp"; Keep keeps jpeg/png/webp/bmp/tiff and falls back to png).
QByteArray outputFormatFor(OutputFormat format, const QByteArray &inputFormat);
// The file extension for a Qt format name ("jpeg" -> "jpg", "tiff" -> "tif").
QString extensionFor(const QByteArray &qtFormat);

// A rough peak-memory estimate for the pool's memory budget: bytes of the input plus a guess
// at the decoded pixels (compressed images are typically 1/10 of their RGBA size), capped at
// what the pixel limit allows.
qint64 estimateCostBytes(qint64 inputBytes, const Recipe &recipe);

} // namespace sluice

Q_DECLARE_METATYPE(sluice::ImageResult)
