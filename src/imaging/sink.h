// Where encoded images go. processImage() talks to a Sink in three steps:
//   1. reserve(): before decoding, claim an output name (or learn that this item is skipped:
//      up to date, or the conflict policy says so);
//   2. commit(): hand over the encoded bytes for that name;
//   3. release(): give the name back instead, when the task is canceled or fails in between.
// Every reservation that says Write ends in exactly one commit() or release().
//
// Threading: all three are called concurrently from pool workers; implementations are
// thread-safe. Lifetime: the sink must outlive every task that uses it.
#pragma once

#include "inputitem.h"

#include <QByteArray>
#include <QDateTime>
#include <QSize>
#include <QString>
#include <QStringList>

namespace sluice {

class TaskContext;
struct Recipe;

// When and with what a photograph was taken, as its EXIF or XMP says: for {date} and {camera}.
struct CaptureInfo
{
    QDateTime taken;     // invalid: the metadata has no capture date
    QString cameraModel; // empty: the metadata names no camera
};

// What processImage() knows about an output before any pixel is decoded.
struct OutputRequest
{
    InputItem item;
    QString extension;        // output extension without the dot ("jpg")
    QSize outputSize;         // final pixel size, for {w} and {h}
    QDateTime sourceModified; // for the incremental check, and {date} without a capture date
    QString fingerprint;      // Recipe::fingerprint() of the run
    CaptureInfo capture;      // read only when the template uses {date} or {camera}
};

struct Reservation
{
    enum class Action : quint8
    {
        Write,        // go ahead; commit() or release() this reservation
        SkipUpToDate, // an output made from this input with this recipe is already newer
        SkipExists,   // the name is taken and the policy is Skip
        Fail          // the name cannot be used (message says why); permanent
    };
    Action action = Action::Fail;
    QString path; // the final output path (FolderSink) or entry name (ZipSink)
    QString message;
    quint64 id = 0;     // the sink's own key
    QDateTime modified; // Write: the time the output is to carry; invalid: when it is written
};

struct CommitResult
{
    bool ok = false;
    bool transient = false; // for !ok
    bool canceled = false;  // for !ok: ctx was canceled before the output became visible
    bool diskFull = false;  // for !ok: the output's file system is full; retrying will not help
                            // until space is freed (processImage() reports it as Blocked)
    QString error;
    QString path;
    qint64 bytes = 0;
};

class Sink
{
public:
    virtual ~Sink() = default;
    virtual Reservation reserve(const OutputRequest &request) = 0;
    virtual CommitResult commit(const Reservation &reservation, const QByteArray &data,
                                const TaskContext &ctx) = 0;
    virtual void release(const Reservation &reservation) = 0;
};

// The metadata keys processImage() writes into each output (PNG tEXt, JPEG COM) and the
// FolderSink reads back for incremental runs, without decoding pixels: FingerprintKey holds
// Recipe::fingerprint() (a hash of the output settings), SourceKey holds sourceStamp() of the
// input's relative path. Neither names a file or folder of the user's.
inline constexpr char FingerprintKey[] = "SluiceRecipe";
inline constexpr char SourceKey[] = "SluiceSource";

// A short hash (16 hex digits of SHA-256) of an input's relative path: tells an output made
// from this input from one made from another of the same name, without writing the path (a
// client's or a folder's name) into a published image.
QString sourceStamp(const QString &relativePath);

// What marks a Sluice output, so that a later scan of a tree holding it never takes the outputs
// for photographs (InputScanner skips them with the reason "Sluice output"): a folder output
// holds an empty-ish file of this name, a ZIP output carries this archive comment. Neither
// holds anything about the inputs.
inline constexpr char OutputMarkerFile[] = ".sluice-output";
inline constexpr char OutputMarkerComment[] = "Written by Sluice (sluice-output)";

// Applies a naming template to a request. Tokens:
//   {name}   the input's base name (up to the last dot)     {ext}  the output extension
//   {w} {h}  the output size                                {index} the item's 0-based index
//   {n}      the item's 1-based number; {n:4} zero-padded to 4 digits ("0007")
//   {date}   the capture date as yyyy-MM-dd; {date:FORMAT} with a QDateTime format
//            ("yyyyMMdd_HHmmss"). Without a capture date in the metadata: the file's time.
//   {camera} the camera model ("Canon EOS R5"); "unknown camera" when the metadata names none.
// Token values are inserted as they are (a base name holding "{w}" stays so). Returns the output
// file name (no folder); '/' and '\' in the result are replaced by '_', control characters too,
// and an empty or "."/".." result becomes "_" so a template can never climb out of the output
// folder.
QString applyNamingTemplate(const QString &nameTemplate, const OutputRequest &request);
// Empty when every "{...}" in the template is a token applyNamingTemplate() knows, with a valid
// argument; else a sentence naming the first wrong one, for the recipe panel and sluice-cli (a
// typo such as {nme} would otherwise pass into every output's name).
QString namingTemplateError(const QString &nameTemplate);
// The first unknown or malformed "{...}" of the template ("{nme}", "{n:x}"), or empty.
QString unknownNamingToken(const QString &nameTemplate);
// Whether the template uses {date} or {camera}, which need the input's metadata before the
// output is named.
bool namingTemplateNeedsCapture(const QString &nameTemplate);
// The notes an output named with this template and request deserves: "no capture date in the
// metadata: {date} is the file's modification time" and the like; empty when none.
QStringList namingNotes(const QString &nameTemplate, const OutputRequest &request);

// The output path relative to the sink's root: the item's mirrored folder (when mirrorTree)
// joined with applyNamingTemplate(). '/'-separated.
QString outputRelativePath(const QString &nameTemplate, bool mirrorTree,
                           const OutputRequest &request);

// "name (n).ext" for a '/'-separated relative path: "a/b.jpg", 2 -> "a/b (2).jpg".
QString numberedVariant(const QString &relativePath, int n);

} // namespace sluice
