#include "journal.h"

#include "crashrecords.h"
#include "journalrecord.h"
#include "journalreplay.h"
#include "localpath.h"
#include "sink.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMutexLocker>
#include <QStandardPaths>
#include <mutex>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace sluice {

namespace {

constexpr int GroupRecords = 256;
constexpr qint64 GroupAgeMs = 250;
constexpr qint64 SyncEveryMs = 2000;

} // namespace

QString journalKey(const InputItem &item)
{
    // Names with bytes that are not UTF-8 (localpath.h) as "\xNN": JSON keeps them exactly.
    const QString source = localpath::escaped(item.sourcePath);
    return item.isArchiveEntry() ? source + QChar(0x1f) + item.entryName : source;
}

// --- Journal: finding and listing -------------------------------------------------------------

QString Journal::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/sluice/journals");
}

QString Journal::pathFor(const JobSpec &spec, const QString &directory)
{
    return directory + QLatin1Char('/') + spec.id() + QStringLiteral(".journal");
}

QList<Journal::Summary> Journal::unfinished(const QString &directory)
{
    QList<Summary> found;
    const QStringList names =
        QDir(directory).entryList({QStringLiteral("*.journal")}, QDir::Files, QDir::Time);
    for (const QString &name : names) {
        const QString path = directory + QLatin1Char('/') + name;
        QLockFile lock(path + QStringLiteral(".lock"));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0))
            continue; // a running process holds it
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        Summary summary;
        summary.path = path;
        summary.lastRun = QFileInfo(file).lastModified();
        bool header = true, ended = false;
        while (!file.atEnd()) {
            const JournalRecord record = JournalRecord::decode(file.readLine());
            if (header) {
                if (record.type != JournalRecord::Type::Header)
                    break;
                summary.spec = record.spec;
                header = false;
                continue;
            }
            if (record.type == JournalRecord::Type::Run) {
                ++summary.runs;
                ended = false;
            } else if (record.type == JournalRecord::Type::End) {
                ended = true;
            } else if (record.type == JournalRecord::Type::Finished &&
                       record.status == QLatin1String("done")) {
                ++summary.finishedItems;
            }
        }
        if (header)
            continue; // not a journal of ours
        summary.crashed = !ended;
        found.append(summary);
    }
    return found;
}

bool Journal::discard(const QString &path)
{
    QLockFile lock(path + QStringLiteral(".lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0))
        return false;
    return QFile::remove(path);
}

// --- Journal: opening and replaying -----------------------------------------------------------

std::unique_ptr<Journal> Journal::open(const JobSpec &spec, Mode mode, JournalError *error,
                                       const QString &directory)
{
    using Kind = JournalError::Kind;
    auto fail = [error](const QString &why, Kind kind = Kind::Unusable) {
        if (error)
            *error = {kind, why};
        return std::unique_ptr<Journal>();
    };
    if (!QDir().mkpath(directory))
        return fail(QStringLiteral("cannot create the journal folder %1")
                        .arg(QDir::toNativeSeparators(directory)));
    std::unique_ptr<Journal> journal(new Journal);
    journal->m_spec = spec;
    journal->m_path = pathFor(spec, directory);
    journal->m_lock = std::make_unique<QLockFile>(journal->m_path + QStringLiteral(".lock"));
    journal->m_lock->setStaleLockTime(0); // a long run is not stale; a dead holder is
    if (!journal->m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        journal->m_lock->getLockInfo(&pid, &host, &app);
        return fail(QStringLiteral("this job (the same inputs and output) is being processed by "
                                   "another sluice (%1, process %2)")
                        .arg(app.isEmpty() ? QStringLiteral("?") : app)
                        .arg(pid),
                    Kind::Busy);
    }

    QFile existing(journal->m_path);
    if (mode == Mode::Resume && existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read the journal %1: %2")
                            .arg(journal->m_path, existing.errorString()));
        JournalError why;
        if (!journal->replay(existing.readAll(), &why))
            return fail(why.message, why.kind);
        existing.close();
    } else if (existing.exists() && !existing.remove()) {
        return fail(QStringLiteral("cannot replace the journal %1: %2")
                        .arg(journal->m_path, existing.errorString()));
    }

    const bool fresh = !QFileInfo::exists(journal->m_path);
    journal->m_file.setFileName(journal->m_path);
    if (!journal->m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return fail(QStringLiteral("cannot write the journal %1: %2")
                        .arg(journal->m_path, journal->m_file.errorString()));
    if (fresh)
        journal->append(JournalRecord::header(spec));
    journal->append(JournalRecord::run(journal->m_run, QCoreApplication::applicationPid(),
                                       QDateTime::currentMSecsSinceEpoch()));
    journal->m_signalSlot = crashrecords::watch(int(journal->m_file.handle()));
    journal->m_sinceSync.start();
    return journal;
}

bool Journal::replay(const QByteArray &contents, JournalError *error)
{
    JournalReplay replay(m_spec, m_path);
    for (const QByteArray &text : contents.split('\n')) {
        if (!text.trimmed().isEmpty() && !replay.add(JournalRecord::decode(text), error))
            return false;
    }
    if (!replay.finish(error))
        return false;
    m_previous = replay.previous();
    m_run = replay.runs() + 1;
    m_orphansRemoved = replay.orphansRemoved();
    m_crashedRuns = replay.crashedRuns();
    for (const Previous &p : std::as_const(m_previous))
        m_previousDone += p.status == Previous::Status::Done;
    return true;
}

Journal::~Journal()
{
    if (!m_closed)
        close(false);
}

Journal::Previous Journal::previous(const InputItem &item) const
{
    return m_previous.value(journalKey(item));
}

QString Journal::quarantineReason(const Previous &previous)
{
    if (previous.status == Previous::Status::Quarantined && !previous.error.isEmpty())
        return previous.error;
    return QStringLiteral("quarantined: sluice crashed twice while processing this input (it "
                          "is probably malformed in a way that crashes an image library); it "
                          "is left out so the batch can finish");
}

// --- Journal: writing -------------------------------------------------------------------------

void Journal::writeLocked(const QByteArray &bytes)
{
    if (!m_file.isOpen())
        return;
    if (m_file.write(bytes) != bytes.size()) {
        static std::once_flag warned;
        std::call_once(warned, [this] {
            qWarning("sluice: cannot write the journal %s: %s (a crash now could not be resumed "
                     "exactly)",
                     qPrintable(m_path), qPrintable(m_file.errorString()));
        });
    }
}

void Journal::append(const QByteArray &bytes)
{
    QMutexLocker lock(&m_mutex);
    writeLocked(bytes);
}

void Journal::started(quint64 tag, const InputItem &item)
{
    append(JournalRecord::started(tag, journalKey(item)));
}

void Journal::reserved(quint64 tag, const Reservation &reservation)
{
    if (reservation.action == Reservation::Action::Fail)
        return;
    append(JournalRecord::reserved(tag, reservation.path,
                                   reservation.action == Reservation::Action::Write,
                                   QDateTime::currentMSecsSinceEpoch()));
}

void Journal::finished(quint64 tag, ResultStatus status, const QString &output,
                       const QString &error)
{
    const QByteArray bytes = JournalRecord::finished(tag, statusKey(status), output, error);
    QMutexLocker lock(&m_mutex);
    if (m_pendingCount == 0)
        m_sincePendingStart.start();
    m_pending += bytes;
    ++m_pendingCount;
    if (m_pendingCount >= GroupRecords || m_sincePendingStart.elapsed() >= GroupAgeMs) {
        writeLocked(m_pending);
        m_pending.clear();
        m_pendingCount = 0;
    }
}

void Journal::quarantined(quint64 tag, const InputItem &item, const QString &reason)
{
    append(JournalRecord::quarantine(tag, journalKey(item), reason));
}

void Journal::flushIfDue()
{
    bool sync = false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_pendingCount > 0 && m_sincePendingStart.elapsed() >= GroupAgeMs) {
            writeLocked(m_pending);
            m_pending.clear();
            m_pendingCount = 0;
        }
        sync = m_sinceSync.isValid() && m_sinceSync.elapsed() >= SyncEveryMs;
    }
    if (sync)
        flush(true);
}

void Journal::flush(bool sync)
{
    QMutexLocker lock(&m_mutex);
    if (m_pendingCount > 0) {
        writeLocked(m_pending);
        m_pending.clear();
        m_pendingCount = 0;
    }
#if defined(Q_OS_UNIX)
    if (sync && m_file.isOpen()) {
        ::fdatasync(int(m_file.handle()));
        m_sinceSync.restart();
    }
#else
    Q_UNUSED(sync);
#endif
}

void Journal::close(bool completed)
{
    if (m_closed)
        return;
    m_closed = true;
    crashrecords::unwatch(m_signalSlot);
    m_signalSlot = -1;
    if (completed) {
        QMutexLocker lock(&m_mutex);
        m_file.close();
        QFile::remove(m_path);
    } else {
        flush(false);
        append(JournalRecord::end(QDateTime::currentMSecsSinceEpoch()));
        flush(true);
        QMutexLocker lock(&m_mutex);
        m_file.close();
    }
    if (m_lock)
        m_lock->unlock();
}

} // namespace sluice
