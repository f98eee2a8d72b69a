#include "foldersink.h"

#include "failpoints.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QSaveFile>
#include <QStorageInfo>
#include <pooltypes.h>

#if defined(Q_OS_LINUX)
#include <sys/xattr.h>
#endif

namespace sluice {

namespace {

// Outputs also carry their stamp (fingerprint and source) in an extended attribute, because
// some formats cannot hold text (Qt's WebP writer drops it). On file systems without user
// xattrs (FAT, some shares) this silently does nothing, and such outputs are redone.
constexpr char StampAttribute[] = "user.sluice.stamp";

QByteArray stampOf(const OutputRequest &request)
{
    return (request.fingerprint + QLatin1Char('\n') + sourceStamp(request.item.relativePath))
        .toUtf8();
}

void writeStamp(int fd, const QByteArray &stamp)
{
#if defined(Q_OS_LINUX)
    if (fd >= 0 && !stamp.isEmpty())
        fsetxattr(fd, StampAttribute, stamp.constData(), size_t(stamp.size()), 0);
#else
    Q_UNUSED(fd);
    Q_UNUSED(stamp);
#endif
}

QByteArray readStamp(const QString &path)
{
#if defined(Q_OS_LINUX)
    char buffer[4096];
    const QByteArray native = QFile::encodeName(path);
    const ssize_t n = getxattr(native.constData(), StampAttribute, buffer, sizeof(buffer));
    if (n > 0)
        return QByteArray(buffer, int(n));
#else
    Q_UNUSED(path);
#endif
    return {};
}

constexpr int MaxRenameAttempts = 10000;

// Room that must be free beside an output for a failed write not to count as a full disk.
constexpr qint64 DiskFullSlackBytes = 1024 * 1024;

// True when a failed write of `bytes` into `dir` is explained by a full file system (or quota):
// Qt reports ENOSPC as ResourceError, and the free space says so for every other path (mkdir,
// rename, a quota).
bool looksLikeDiskFull(QFileDevice::FileError error, const QString &dir, qint64 bytes)
{
    if (error == QFileDevice::ResourceError)
        return true;
    const QString existing = FolderSink::nearestExisting(dir);
    if (existing.isEmpty())
        return false;
    const QStorageInfo storage(existing);
    return storage.isValid() && !storage.isReadOnly() && storage.bytesAvailable() >= 0 &&
           storage.bytesAvailable() < bytes + DiskFullSlackBytes;
}

// Longest file name most file systems take (NAME_MAX), in bytes of the encoded name.
constexpr int MaxNameBytes = 255;

// The first component of a '/'-separated relative path that is too long for a file name.
QString overlongComponent(const QString &relativePath)
{
    for (const QString &part : relativePath.split(QLatin1Char('/'))) {
        if (QFile::encodeName(part).size() > MaxNameBytes)
            return part;
    }
    return {};
}

// Why a folder cannot be created when retrying will not help (a file in the way, a read-only
// file system, no permission); empty when it may be passing.
QString permanentFolderProblem(const QString &dir)
{
    const QString existing = FolderSink::nearestExisting(dir);
    if (existing.isEmpty())
        return {};
    const QFileInfo info(existing);
    if (!info.isDir())
        return QStringLiteral("\"%1\" is a file, not a folder")
            .arg(QDir::toNativeSeparators(existing));
    const QStorageInfo storage(existing);
    if (storage.isValid() && storage.isReadOnly())
        return QStringLiteral("\"%1\" is on a read-only file system")
            .arg(QDir::toNativeSeparators(existing));
    if (!info.isWritable())
        return QStringLiteral("no permission to write in \"%1\"")
            .arg(QDir::toNativeSeparators(existing));
    return {};
}

CommitResult diskFull(CommitResult result, const QString &dir, const QString &why)
{
    result.diskFull = true;
    result.transient = true;
    result.error =
        QStringLiteral("the output disk is full (%1): %2").arg(QDir::toNativeSeparators(dir), why);
    return result;
}

bool isSameFile(const QString &a, const QString &b)
{
    const QString ca = QFileInfo(a).canonicalFilePath();
    return !ca.isEmpty() && ca == QFileInfo(b).canonicalFilePath();
}

} // namespace

FolderSink::FolderSink(const QString &root, const Recipe &recipe)
    : m_root(QDir::cleanPath(QFileInfo(root).absoluteFilePath()))
    , m_nameTemplate(recipe.nameTemplate)
    , m_mirrorTree(recipe.mirrorTree)
    , m_conflict(recipe.conflict)
    , m_keepDates(recipe.keepDates)
{}

bool FolderSink::isUpToDate(const QString &path, const OutputRequest &request)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    if (request.sourceModified.isValid() && info.lastModified() < request.sourceModified)
        return false;
    if (readStamp(path) == stampOf(request))
        return true;
    QImageReader reader(path);
    return reader.text(QLatin1String(FingerprintKey)) == request.fingerprint &&
           reader.text(QLatin1String(SourceKey)) == sourceStamp(request.item.relativePath);
}

QString FolderSink::nearestExisting(const QString &path)
{
    QString existing = QFileInfo(path).absoluteFilePath();
    while (!QFileInfo::exists(existing)) {
        const QString parent = QFileInfo(existing).absolutePath();
        if (parent == existing)
            return {};
        existing = parent;
    }
    return existing;
}

Reservation FolderSink::reserve(const OutputRequest &request)
{
    const QString relative = outputRelativePath(m_nameTemplate, m_mirrorTree, request);
    const bool inputIsFile = !request.item.isArchiveEntry();
    const QString overlong = overlongComponent(relative);
    if (!overlong.isEmpty()) {
        Reservation failed;
        failed.message = QStringLiteral("the output name is too long for a file name (over %1 "
                                        "bytes): \"%2\"; use a shorter --name template")
                             .arg(MaxNameBytes)
                             .arg(overlong.left(60) + QStringLiteral("…"));
        return failed;
    }

    QMutexLocker lock(&m_mutex);
    for (int n = 0; n < MaxRenameAttempts; ++n) {
        const QString candidateRelative = n == 0 ? relative : numberedVariant(relative, n);
        if (n > 0 && !overlongComponent(candidateRelative).isEmpty()) {
            Reservation failed;
            failed.message = QStringLiteral("the output name is taken and a numbered variant "
                                            "would be too long for a file name (over %1 bytes)")
                                 .arg(MaxNameBytes);
            return failed;
        }
        const QString candidate = m_root + QLatin1Char('/') + candidateRelative;
        Reservation result;
        result.path = candidate;
        if (m_reserved.contains(candidate)) {
            if (m_conflict == ConflictPolicy::Skip) {
                result.action = Reservation::Action::SkipExists;
                result.message = QStringLiteral("another input of this run writes this name");
                return result;
            }
            continue;
        }
        const QFileInfo existing(candidate);
        if (existing.exists()) {
            // Reading a header under the lock serialises a little, but keeps "check, then
            // claim" atomic for every worker.
            if (m_incremental && isUpToDate(candidate, request)) {
                result.action = Reservation::Action::SkipUpToDate;
                result.message = QStringLiteral("up to date");
                return result;
            }
            if (m_conflict == ConflictPolicy::Skip) {
                result.action = Reservation::Action::SkipExists;
                result.message = QStringLiteral("output exists");
                return result;
            }
            const bool overwritable =
                m_conflict == ConflictPolicy::Overwrite && existing.isFile() &&
                !(inputIsFile && isSameFile(candidate, request.item.sourcePath));
            if (!overwritable)
                continue;
        }
        m_reserved.insert(candidate);
        result.action = Reservation::Action::Write;
        if (m_keepDates)
            result.modified = request.sourceModified;
        result.id = m_nextId.fetch_add(1);
        m_stamps.insert(result.id, stampOf(request));
        return result;
    }
    Reservation failed;
    failed.message = QStringLiteral("no free output name for \"%1\"").arg(relative);
    return failed;
}

// Once per sink, before its first output: the marker that tells later scans this folder is a
// Sluice output (sink.h). Best effort: an output folder that cannot hold it still gets images.
void FolderSink::markOutputFolder()
{
    if (m_marked.load(std::memory_order_acquire))
        return;
    QMutexLocker lock(&m_mutex);
    if (m_marked.load(std::memory_order_relaxed))
        return;
    QFile marker(m_root + QLatin1Char('/') + QLatin1String(OutputMarkerFile));
    if (!marker.exists() && marker.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        marker.write("Written by Sluice. Later Sluice runs over a tree that holds this folder "
                     "skip it (\"Sluice output\") instead of taking its images as photographs.\n");
    m_marked.store(true, std::memory_order_release);
}

CommitResult FolderSink::commit(const Reservation &reservation, const QByteArray &data,
                                const TaskContext &ctx)
{
    CommitResult result;
    result.path = reservation.path;
    const QString dir = QFileInfo(reservation.path).absolutePath();
    const FailAction injected = Failpoints::hit("write", reservation.path);
    if (injected == FailAction::Transient || injected == FailAction::Permanent) {
        result.error = Failpoints::message(injected, "write");
        result.transient = injected == FailAction::Transient;
        release(reservation);
        return result;
    }
    if (!QDir().mkpath(dir)) {
        const QString why = QStringLiteral("cannot create the folder \"%1\"").arg(dir);
        release(reservation);
        if (looksLikeDiskFull(QFileDevice::NoError, dir, data.size()))
            return diskFull(result, dir, why);
        const QString problem = permanentFolderProblem(dir);
        result.error = problem.isEmpty() ? why : why + QStringLiteral(": ") + problem;
        result.transient = problem.isEmpty();
        return result;
    }
    markOutputFolder();
    QSaveFile file(reservation.path);
    file.setDirectWriteFallback(false); // never write in place: atomic or nothing
    if (!file.open(QIODevice::WriteOnly)) {
        const QString why = QStringLiteral("cannot write the output: %1").arg(file.errorString());
        release(reservation);
        if (looksLikeDiskFull(file.error(), dir, data.size()))
            return diskFull(result, dir, why);
        const QString problem = permanentFolderProblem(dir);
        result.error = problem.isEmpty() ? why : why + QStringLiteral(": ") + problem;
        result.transient = problem.isEmpty() && file.error() != QFileDevice::PermissionsError;
        return result;
    }
    if (injected == FailAction::DiskFull || file.write(data) != data.size() || !file.flush()) {
        const QString why =
            injected == FailAction::DiskFull
                ? Failpoints::message(injected, "write")
                : QStringLiteral("writing the output failed: %1").arg(file.errorString());
        const QFileDevice::FileError error =
            injected == FailAction::DiskFull ? QFileDevice::ResourceError : file.error();
        file.cancelWriting(); // the destructor removes the temporary file
        release(reservation);
        if (looksLikeDiskFull(error, dir, data.size()))
            return diskFull(result, dir, why);
        result.error = why;
        result.transient = true;
        return result;
    }
    // Last checkpoint: once commit() renames, the output is visible and the task is done.
    if (ctx.isCanceled()) {
        file.cancelWriting(); // the destructor removes the temporary file
        result.canceled = true;
        release(reservation);
        return result;
    }
    writeStamp(int(file.handle()),
               takeStamp(reservation.id)); // on the temporary file: renamed with it
    if (reservation.modified.isValid())    // --keep-dates; the rename keeps it
        file.setFileTime(reservation.modified, QFileDevice::FileModificationTime);
    if (!file.commit()) {
        const QString why = QStringLiteral("saving the output failed: %1").arg(file.errorString());
        release(reservation);
        if (looksLikeDiskFull(file.error(), dir, data.size()))
            return diskFull(result, dir, why);
        result.error = why;
        result.transient = true;
        return result;
    }
    // The name stays reserved: a later input of this run must not overwrite this output.
    result.ok = true;
    result.bytes = data.size();
    return result;
}

QByteArray FolderSink::takeStamp(quint64 reservationId)
{
    QMutexLocker lock(&m_mutex);
    return m_stamps.take(reservationId);
}

void FolderSink::release(const Reservation &reservation)
{
    QMutexLocker lock(&m_mutex);
    m_reserved.remove(reservation.path);
    m_stamps.remove(reservation.id);
}

} // namespace sluice
