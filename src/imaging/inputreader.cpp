#include "inputreader.h"

#include "failpoints.h"
#include "localpath.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeDatabase>
#include <limits>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>
#include <quazip/unzip.h>

namespace sluice {

namespace {

constexpr qint64 ChunkBytes = 256 * 1024;
// Below this many inflated bytes the ratio limit is not applied: tiny, very regular images
// (a flat-colour PNG) compress far beyond any bomb ratio and are harmless.
constexpr qint64 RatioFloorBytes = 1024 * 1024;

InputData failure(bool transient, const QString &why)
{
    InputData data;
    data.transient = transient;
    data.error = why;
    return data;
}

// Empty when the first bytes are an image (one Qt can read, or one the MIME database knows as
// image/*, which processImage() then reports as unsupported); otherwise the MIME type found.
QString nonImageType(const QByteArray &head)
{
    QBuffer buffer;
    buffer.setData(head);
    buffer.open(QIODevice::ReadOnly);
    if (!QImageReader::imageFormat(&buffer).isEmpty())
        return {};
    const QString mime = QMimeDatabase().mimeTypeForData(head).name();
    return mime.startsWith(QLatin1String("image/")) ? QString() : mime;
}

InputData notAnImage(const QString &mime)
{
    InputData data;
    data.notAnImage = true;
    data.error = QStringLiteral("not an image (%1)").arg(mime);
    return data;
}

// Positions `zip` on the item's entry: straight to the scanner's central-directory position when
// known (checking the name there, in case the archive changed), else a search by name.
bool goToEntry(QuaZip &zip, const InputItem &item)
{
    // goToFirstFile() is O(1) and marks QuaZip as having a current file, which QuaZipFile
    // needs; the raw minizip jump then moves that current file without QuaZip's name search.
    if (item.entryDirectoryOffset >= 0 && item.entryNumber >= 0 && zip.goToFirstFile()) {
        unz64_file_pos position{ZPOS64_T(item.entryDirectoryOffset), ZPOS64_T(item.entryNumber)};
        if (unzGoToFilePos64(zip.getUnzFile(), &position) == UNZ_OK &&
            zip.getCurrentFileName() == item.entryName)
            return true;
        // A stale position confuses QuaZip's lazily built name map: search from a fresh open.
        zip.close();
        if (!zip.open(QuaZip::mdUnzip))
            return false;
    }
    return zip.setCurrentFile(item.entryName, QuaZip::csSensitive);
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024 * 1024), 'g', 4) + QStringLiteral(" MB");
}

// Empty while `total` bytes inflated from one archive are within the archive's limits: the
// total cap, and the compression ratio of the archive as a whole (many directory records that
// share one deflate stream, overlapping entries, pass every per-entry check, not this one).
QString archiveOverLimit(const InputLimits &limits, qint64 total, qint64 archiveSize)
{
    if (limits.maxArchiveBytes > 0 && total > limits.maxArchiveBytes)
        return QStringLiteral("archive inflates past the %1 total limit")
            .arg(megabytes(limits.maxArchiveBytes));
    if (limits.maxCompressionRatio > 0 && total > RatioFloorBytes &&
        double(total) > limits.maxCompressionRatio * double(qMax<qint64>(1, archiveSize)))
        return QStringLiteral("archive inflates past the %1:1 compression ratio limit as a whole "
                              "(overlapping entries? a ZIP bomb?)")
            .arg(limits.maxCompressionRatio);
    return {};
}

// The header sizes may lie: these checks are on what was actually inflated, so far, of the
// entry (`inflated`) and of its whole archive (`total`, -1 without an archive budget).
QString inflationRefusal(const InputLimits &limits, qint64 inflated, qint64 compressedSize,
                         qint64 total, qint64 archiveSize)
{
    if (limits.maxEntryBytes > 0 && inflated > limits.maxEntryBytes)
        return QStringLiteral("entry inflates past the %1 per-entry limit")
            .arg(megabytes(limits.maxEntryBytes));
    if (limits.maxCompressionRatio > 0 && inflated > RatioFloorBytes &&
        double(inflated) > limits.maxCompressionRatio * double(qMax<qint64>(1, compressedSize)))
        return QStringLiteral("entry's compression ratio is over the %1:1 limit (a ZIP bomb?)")
            .arg(limits.maxCompressionRatio);
    return total >= 0 ? archiveOverLimit(limits, total, archiveSize) : QString();
}

} // namespace

InputReader::InputReader(InputLimits limits, FileOpener opener)
    : m_limits(limits)
    , m_opener(std::move(opener))
{
    if (!m_opener) {
        m_opener = [](const QString &path) -> std::unique_ptr<QIODevice> {
            return localpath::openForReading(path);
        };
    }
}

InputData InputReader::read(const InputItem &item) const
{
    if (item.isRejected())
        return failure(false, item.rejection);
    if (const FailAction injected = Failpoints::hit("read", item.displayName());
        injected != FailAction::None)
        return failure(injected != FailAction::Permanent, Failpoints::message(injected, "read"));
    return item.isArchiveEntry() ? readArchiveEntry(item) : readFile(item);
}

InputData InputReader::readFile(const InputItem &item) const
{
    const localpath::Status before = localpath::status(item.sourcePath);
    if (!before.exists)
        // A share that is gone for a moment looks exactly like this; the retry decides.
        return failure(true, QStringLiteral("file not found (moved, or its drive is offline)"));
    if (before.isDir)
        return failure(false, QStringLiteral("is a folder, not a file"));

    std::unique_ptr<QIODevice> device = m_opener(item.sourcePath);
    if (!device || !device->isOpen()) {
        const auto *file = qobject_cast<QFileDevice *>(device.get());
        if (file && file->error() == QFileDevice::PermissionsError)
            return failure(false, QStringLiteral("permission denied"));
        const QString detail = device ? device->errorString() : QStringLiteral("open failed");
        return failure(true, QStringLiteral("cannot open the file: %1").arg(detail));
    }

    InputData data;
    data.modified = before.modified;
    const qint64 expected = before.size;
    data.bytes.reserve(int(qMin<qint64>(expected, std::numeric_limits<int>::max() / 2)));
    QByteArray chunk(ChunkBytes, Qt::Uninitialized);
    for (;;) {
        const qint64 got = device->read(chunk.data(), chunk.size());
        if (got < 0)
            return failure(true, QStringLiteral("read error: %1").arg(device->errorString()));
        if (got == 0)
            break;
        const bool first = data.bytes.isEmpty();
        data.bytes.append(chunk.constData(), got);
        if (first) {
            if (const QString mime = nonImageType(data.bytes); !mime.isEmpty())
                return notAnImage(mime);
        }
    }
    // A file still being copied in: the size we saw does not match what we read, or it
    // changed underneath us. The next attempt will likely see it complete.
    const localpath::Status after = localpath::status(item.sourcePath);
    if (data.bytes.size() != expected || after.size != expected || after.modified != data.modified)
        return failure(true, QStringLiteral("file is still being written (its size changed "
                                            "while reading)"));
    // Nothing to sniff, so no type: an empty "x.jpg" is a broken download or copy, reported as
    // such rather than skipped as "application/x-zerosize".
    if (data.bytes.isEmpty())
        return failure(false, QStringLiteral("the file is empty (0 bytes)"));
    data.ok = true;
    return data;
}

InputData InputReader::readArchiveEntry(const InputItem &item) const
{
    const localpath::Status archiveInfo = localpath::status(item.sourcePath);
    if (!archiveInfo.exists)
        return failure(true, QStringLiteral("archive not found (moved, or its drive is offline)"));

    std::unique_ptr<QFile> device; // for a name QuaZip cannot open itself (localpath.h)
    if (localpath::hasEscapes(item.sourcePath))
        device = localpath::openForReading(item.sourcePath);
    QuaZip zip(item.sourcePath);
    if (device)
        zip.setIoDevice(device.get());
    if (!zip.open(QuaZip::mdUnzip))
        return failure(
            false, QStringLiteral("not a readable ZIP archive (error %1)").arg(zip.getZipError()));
    if (!goToEntry(zip, item))
        return failure(
            false,
            QStringLiteral("entry \"%1\" is not in the archive any more").arg(item.entryName));
    QuaZipFileInfo64 info;
    if (!zip.getCurrentFileInfo(&info))
        return failure(false, QStringLiteral("cannot read the entry's header"));
    if (info.isEncrypted())
        return failure(false, QStringLiteral("entry is encrypted"));
    if (info.isSymbolicLink())
        return failure(false, QStringLiteral("entry is a symbolic link"));

    // An archive already over its limits inflates nothing more, not even a first chunk.
    if (item.archiveBudget) {
        const QString why =
            archiveOverLimit(m_limits, item.archiveBudget->bytesInflated.load(), archiveInfo.size);
        if (!why.isEmpty())
            return failure(false, why);
    }
    QuaZipFile file(&zip);
    if (!file.open(QIODevice::ReadOnly))
        return failure(false,
                       QStringLiteral("cannot open the entry (error %1)").arg(file.getZipError()));

    InputData data;
    data.modified = archiveInfo.modified;
    QByteArray chunk(ChunkBytes, Qt::Uninitialized);
    for (;;) {
        const qint64 got = file.read(chunk.data(), chunk.size());
        if (got < 0)
            return failure(false,
                           QStringLiteral("corrupt ZIP entry (error %1)").arg(file.getZipError()));
        if (got == 0)
            break;
        const bool first = data.bytes.isEmpty();
        data.bytes.append(chunk.constData(), got);
        if (first) {
            if (const QString mime = nonImageType(data.bytes); !mime.isEmpty())
                return notAnImage(mime);
        }
        const qint64 total =
            item.archiveBudget ? item.archiveBudget->bytesInflated.fetch_add(got) + got : -1;
        const QString why = inflationRefusal(m_limits, data.bytes.size(), info.compressedSize,
                                             total, archiveInfo.size);
        if (!why.isEmpty())
            return failure(false, why);
    }
    file.close();
    if (file.getZipError() == UNZ_CRCERROR)
        // Also what an entry that inflates past its declared size looks like: minizip stops at
        // the declared size, so the checksum of what was read cannot match.
        return failure(false, QStringLiteral("corrupt ZIP entry: its data does not match its "
                                             "CRC checksum"));
    if (file.getZipError() != UNZ_OK)
        return failure(
            false,
            QStringLiteral("corrupt ZIP entry (CRC or data error %1)").arg(file.getZipError()));
    if (data.bytes.isEmpty())
        return failure(false, QStringLiteral("the entry is empty (0 bytes)"));
    data.ok = true;
    return data;
}

} // namespace sluice
