#include "zipsink.h"

#include <QDateTime>
#include <QFile>
#include <pooltypes.h>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

namespace sluice {

namespace {
constexpr int MaxRenameAttempts = 10000;
}

ZipSink::ZipSink(const QString &finalPath, const Recipe &recipe, int queueCapacity)
    : m_finalPath(finalPath)
    , m_nameTemplate(recipe.nameTemplate)
    , m_mirrorTree(recipe.mirrorTree)
    , m_conflict(recipe.conflict)
    , m_keepDates(recipe.keepDates)
    , m_capacity(size_t(qMax(1, queueCapacity)))
{}

ZipSink::~ZipSink()
{
    if (!m_finished)
        abort();
}

bool ZipSink::start(QString *error)
{
    std::unique_lock lock(m_mutex);
    if (m_started)
        return !m_failed;
    m_started = true;
    m_writer = std::thread([this] { writerLoop(); });
    m_opened.wait(lock, [this] { return m_openDone; });
    if (m_failed && error)
        *error = m_error;
    return !m_failed;
}

void ZipSink::writerLoop()
{
    // The QuaZip lives and dies in this thread: nothing else touches it.
    QuaZip zip(temporaryPath());
    zip.setZip64Enabled(true);
    zip.setUtf8Enabled(true);
    const bool opened = zip.open(QuaZip::mdCreate);
    {
        std::lock_guard lock(m_mutex);
        m_openDone = true;
        if (!opened) {
            m_failed = true;
            m_error = QStringLiteral("cannot create the archive \"%1\" (error %2)")
                          .arg(temporaryPath())
                          .arg(zip.getZipError());
        }
    }
    m_opened.notify_all();
    if (!opened) {
        m_queueHasRoom.notify_all();
        return;
    }

    for (;;) {
        Entry entry;
        {
            std::unique_lock lock(m_mutex);
            m_queueHasWork.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_discard)
                m_queue.clear();
            if (m_queue.empty())
                break; // stopping, and drained
            entry = std::move(m_queue.front());
            m_queue.pop_front();
        }
        m_queueHasRoom.notify_one();
        if (m_failed)
            continue; // drain without writing after the first error

        QuaZipFile file(&zip);
        QuaZipNewInfo info(entry.name);
        info.dateTime = entry.modified.isValid() ? entry.modified : QDateTime::currentDateTime();
        info.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                            QFile::ReadOther);
        const bool ok = file.open(QIODevice::WriteOnly, info, nullptr, 0, 0 /* stored */, 0) &&
                        file.write(entry.data) == entry.data.size();
        file.close();
        if (!ok || file.getZipError() != ZIP_OK) {
            std::lock_guard lock(m_mutex);
            m_failed = true;
            m_error = QStringLiteral("writing \"%1\" into the archive failed (error %2)")
                          .arg(entry.name)
                          .arg(file.getZipError());
            m_queueHasRoom.notify_all();
        }
    }
    zip.setComment(QString::fromLatin1(OutputMarkerComment)); // see sink.h
    zip.close();
    if (zip.getZipError() != ZIP_OK) {
        std::lock_guard lock(m_mutex);
        if (!m_failed) {
            m_failed = true;
            m_error =
                QStringLiteral("closing the archive failed (error %1)").arg(zip.getZipError());
        }
    }
}

bool ZipSink::stopWriter(bool discard, QString *error)
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_discard = m_discard || discard;
    }
    m_queueHasWork.notify_all();
    m_queueHasRoom.notify_all();
    if (m_writer.joinable())
        m_writer.join();
    std::lock_guard lock(m_mutex);
    if (m_failed && error)
        *error = m_error;
    return !m_failed;
}

bool ZipSink::finish(QString *error)
{
    if (m_finished)
        return true;
    if (!m_started) {
        if (error)
            *error = QStringLiteral("the archive was never started");
        return false;
    }
    if (!stopWriter(false, error)) {
        QFile::remove(temporaryPath());
        return false;
    }
    if (QFile::exists(m_finalPath) && !QFile::remove(m_finalPath)) {
        if (error)
            *error = QStringLiteral("cannot replace \"%1\"").arg(m_finalPath);
        QFile::remove(temporaryPath());
        return false;
    }
    if (!QFile::rename(temporaryPath(), m_finalPath)) {
        if (error)
            *error = QStringLiteral("cannot rename the archive to \"%1\"").arg(m_finalPath);
        QFile::remove(temporaryPath());
        return false;
    }
    m_finished = true;
    return true;
}

void ZipSink::abort()
{
    stopWriter(true, nullptr);
    QFile::remove(temporaryPath());
}

Reservation ZipSink::reserve(const OutputRequest &request)
{
    const QString relative = outputRelativePath(m_nameTemplate, m_mirrorTree, request);
    std::lock_guard lock(m_mutex);
    for (int n = 0; n < MaxRenameAttempts; ++n) {
        const QString candidate = n == 0 ? relative : numberedVariant(relative, n);
        Reservation result;
        result.path = candidate;
        if (m_names.contains(candidate)) {
            if (m_conflict == ConflictPolicy::Skip) {
                result.action = Reservation::Action::SkipExists;
                result.message = QStringLiteral("the archive already has this entry");
                return result;
            }
            continue;
        }
        m_names.insert(candidate);
        result.action = Reservation::Action::Write;
        if (m_keepDates)
            result.modified = request.sourceModified;
        result.id = m_nextId++;
        return result;
    }
    Reservation failed;
    failed.message = QStringLiteral("no free entry name for \"%1\"").arg(relative);
    return failed;
}

CommitResult ZipSink::commit(const Reservation &reservation, const QByteArray &data,
                             const TaskContext &ctx)
{
    CommitResult result;
    result.path = reservation.path;
    std::unique_lock lock(m_mutex);
    // Backpressure. The timed wait only exists to notice cancellation, which has no
    // notification of its own.
    while (m_queue.size() >= m_capacity && !m_failed && !m_stopping) {
        if (ctx.isCanceled())
            break;
        m_queueHasRoom.wait_for(lock, std::chrono::milliseconds(50));
    }
    if (ctx.isCanceled()) {
        m_names.remove(reservation.path);
        result.canceled = true;
        return result;
    }
    if (!m_started || m_failed || m_stopping) {
        m_names.remove(reservation.path);
        result.error = m_failed ? m_error : QStringLiteral("the archive is not open");
        return result;
    }
    m_queue.push_back({reservation.path, data, reservation.modified});
    lock.unlock();
    m_queueHasWork.notify_one();
    result.ok = true;
    result.bytes = data.size();
    return result;
}

void ZipSink::release(const Reservation &reservation)
{
    std::lock_guard lock(m_mutex);
    m_names.remove(reservation.path);
}

} // namespace sluice
