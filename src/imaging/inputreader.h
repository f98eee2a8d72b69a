// Reads one input's bytes into memory: a file, or a ZIP entry inflated through QuaZip (never
// extracted to disk), enforcing the entry, archive-total and compression-ratio limits on the
// bytes actually inflated, and classifying every failure as transient or permanent.
//
// Threading: read() is const and reentrant; many pool workers call it at once on one reader.
// Each call opens its own file or archive handle.
#pragma once

#include "inputitem.h"
#include "recipe.h"

#include <QByteArray>
#include <QDateTime>
#include <QIODevice>
#include <functional>
#include <memory>

namespace sluice {

// Opens a file for reading. The default opens a QFile. Tests inject one to simulate a locked
// file or a failing read. Return nullptr or a device that is not open to report an open
// failure (a QFileDevice's error() is used to classify it). Called from worker threads.
using FileOpener = std::function<std::unique_ptr<QIODevice>(const QString &path)>;

struct InputData
{
    bool ok = false;
    bool transient = false;  // for !ok: may pass on a retry
    bool notAnImage = false; // for !ok: the first bytes are no image (error names the type)
    QString error;           // for !ok: a reason a person understands
    QByteArray bytes;
    QDateTime modified; // the file's, or the archive's, last modification time
};

// Reads are sniffed after the first chunk: content that neither a Qt image plugin nor the MIME
// database calls an image stops the read there (notAnImage), so a 4 GB video in a photo folder
// costs 256 KB of memory, not 4 GB.
class InputReader
{
public:
    explicit InputReader(InputLimits limits = {}, FileOpener opener = {});

    InputData read(const InputItem &item) const;

private:
    InputData readFile(const InputItem &item) const;
    InputData readArchiveEntry(const InputItem &item) const;

    InputLimits m_limits;
    FileOpener m_opener;
};

} // namespace sluice
