#include "journal.h"

#include "sink.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace sluice {

namespace {

constexpr int FormatVersion = 1;
constexpr int GroupRecords = 256;
constexpr qint64 GroupAgeMs = 250;
constexpr qint64 SyncEveryMs = 2000;
// Output timestamps may be coarser than the clock (FAT: 2 s).
constexpr qint64 TimestampSlackMs = 2000;

// --- Crash records, written from a signal handler ---------------------------------------------
// The handler may only use async-signal-safe calls: it writes a preformatted line to every open
// journal's descriptor, then lets the previous disposition (the default, or a sanitizer's) run.
constexpr int MaxJournals = 16;
std::atomic<int> g_fds[MaxJournals];
constexpr int CrashSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_previous[sizeof(CrashSignals) / sizeof(CrashSignals[0])];
std::once_flag g_handlersInstalled;

extern "C" void onCrashSignal(int sig)
{
#if defined(Q_OS_UNIX)
    const int savedErrno = errno;
    char line[] = "{\"t\":\"crash\",\"sig\":\"00\"}\n";
    char *digits = std::strstr(line, "00");
    digits[0] = char('0' + (sig / 10) % 10);
    digits[1] = char('0' + sig % 10);
    for (auto &slot : g_fds) {
        const int fd = slot.load(std::memory_order_relaxed);
        if (fd >= 0) {
            const ssize_t ignored = ::write(fd, line, sizeof(line) - 1);
            (void)ignored;
        }
    }
    for (size_t i = 0; i < sizeof(CrashSignals) / sizeof(CrashSignals[0]); ++i) {
        if (CrashSignals[i] == sig)
            sigaction(sig, &g_previous[i], nullptr);
    }
    // Delivered again, to the previous disposition (the default, or a sanitizer's), once this
    // handler returns; a fault would also recur when the instruction is re-executed.
    raise(sig);
    errno = savedErrno;
#else
    Q_UNUSED(sig);
#endif
}

void installCrashHandlers()
{
#if defined(Q_OS_UNIX)
    std::call_once(g_handlersInstalled, [] {
        for (auto &slot : g_fds)
            slot.store(-1);
        for (size_t i = 0; i < sizeof(CrashSignals) / sizeof(CrashSignals[0]); ++i) {
            struct sigaction action;
            std::memset(&action, 0, sizeof(action));
            action.sa_handler = onCrashSignal;
            sigemptyset(&action.sa_mask);
            action.sa_flags = SA_ONSTACK;
            sigaction(CrashSignals[i], &action, &g_previous[i]);
        }
    });
#endif
}

int registerFd(int fd)
{
    installCrashHandlers();
    for (int i = 0; i < MaxJournals; ++i) {
        int expected = -1;
        if (g_fds[i].compare_exchange_strong(expected, fd))
            return i;
    }
    return -1;
}

void unregisterFd(int slot)
{
    if (slot >= 0)
        g_fds[slot].store(-1);
}

// --- JSON helpers -----------------------------------------------------------------------------

QByteArray line(const QJsonObject &record)
{
    return QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
}

// A short description of what makes outputs differ, for the "other settings" message.
QString describe(const Recipe &r)
{
    return QStringLiteral("%1x%2 %3, %4, quality %5%6, name \"%7\", %8%9")
        .arg(r.targetSize.width())
        .arg(r.targetSize.height())
        .arg(toString(r.mode), toString(r.format))
        .arg(r.quality)
        .arg(r.upscale ? QStringLiteral(", upscale") : QString())
        .arg(r.nameTemplate, toString(r.conflict))
        .arg(r.mirrorTree ? QString() : QStringLiteral(", flat"));
}

bool sameOutputs(const Recipe &a, const Recipe &b)
{
    return a.fingerprint() == b.fingerprint() && a.nameTemplate == b.nameTemplate &&
           a.conflict == b.conflict && a.mirrorTree == b.mirrorTree;
}

// QSaveFile's temporary files where O_TMPFILE is not available: "<final>.XXXXXX".
int removeOrphansOf(const QString &finalPath)
{
    const QFileInfo info(finalPath);
    QDir dir = info.dir();
    if (!dir.exists())
        return 0;
    static const QRegularExpression suffix(QStringLiteral("^\\.[A-Za-z0-9]{6}$"));
    const QString base = info.fileName();
    int removed = 0;
    const QStringList candidates =
        dir.entryList({QDir::toNativeSeparators(base) + QStringLiteral(".??????")},
                      QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : candidates) {
        if (name.startsWith(base) && suffix.match(name.mid(base.size())).hasMatch() &&
            dir.remove(name))
            ++removed;
    }
    return removed;
}

} // namespace

// --- JobSpec ----------------------------------------------------------------------------------

bool JobSpec::outputIsZip() const
{
    return output.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive);
}

QString JobSpec::id() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayLiteral("sluice-job-v1\n"));
    for (const QString &input : inputs)
        hash.addData(QDir::cleanPath(input).toUtf8() + '\n');
    hash.addData(QByteArrayLiteral("->\n"));
    hash.addData(QDir::cleanPath(output).toUtf8() + '\n');
    hash.addData(QStringLiteral("shard %1/%2").arg(shardIndex).arg(shardCount).toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(32));
}

QJsonObject JobSpec::toJson() const
{
    QJsonObject json;
    json[QStringLiteral("inputs")] = QJsonArray::fromStringList(inputs);
    json[QStringLiteral("output")] = output;
    json[QStringLiteral("recipe")] = recipeToJson(recipe);
    json[QStringLiteral("shard")] = QJsonArray{shardIndex, shardCount};
    json[QStringLiteral("name")] = name;
    json[QStringLiteral("includeRootName")] = includeRootName;
    return json;
}

JobSpec JobSpec::fromJson(const QJsonObject &json)
{
    JobSpec spec;
    for (const QJsonValue &v : json.value(QStringLiteral("inputs")).toArray())
        spec.inputs.append(v.toString());
    spec.output = json.value(QStringLiteral("output")).toString();
    spec.recipe = recipeFromJson(json.value(QStringLiteral("recipe")).toObject());
    const QJsonArray shard = json.value(QStringLiteral("shard")).toArray();
    spec.shardIndex = shard.at(0).toInt(0);
    spec.shardCount = qMax(1, shard.at(1).toInt(1));
    spec.name = json.value(QStringLiteral("name")).toString();
    spec.includeRootName = json.value(QStringLiteral("includeRootName")).toBool(true);
    return spec;
}

QJsonObject recipeToJson(const Recipe &r)
{
    QJsonObject limits;
    limits[QStringLiteral("maxPixels")] = double(r.limits.maxPixels);
    limits[QStringLiteral("maxEntryBytes")] = double(r.limits.maxEntryBytes);
    limits[QStringLiteral("maxArchiveBytes")] = double(r.limits.maxArchiveBytes);
    limits[QStringLiteral("maxArchiveEntries")] = double(r.limits.maxArchiveEntries);
    limits[QStringLiteral("maxCompressionRatio")] = r.limits.maxCompressionRatio;
    QJsonObject json;
    json[QStringLiteral("width")] = r.targetSize.width();
    json[QStringLiteral("height")] = r.targetSize.height();
    json[QStringLiteral("mode")] = toString(r.mode);
    json[QStringLiteral("upscale")] = r.upscale;
    json[QStringLiteral("format")] = toString(r.format);
    json[QStringLiteral("quality")] = r.quality;
    json[QStringLiteral("progressive")] = r.progressive;
    json[QStringLiteral("name")] = r.nameTemplate;
    json[QStringLiteral("conflict")] = toString(r.conflict);
    json[QStringLiteral("mirrorTree")] = r.mirrorTree;
    json[QStringLiteral("limits")] = limits;
    return json;
}

Recipe recipeFromJson(const QJsonObject &json)
{
    Recipe r;
    r.targetSize = QSize(json.value(QStringLiteral("width")).toInt(r.targetSize.width()),
                         json.value(QStringLiteral("height")).toInt(r.targetSize.height()));
    r.mode = parseResizeMode(json.value(QStringLiteral("mode")).toString()).value_or(r.mode);
    r.upscale = json.value(QStringLiteral("upscale")).toBool(r.upscale);
    r.format =
        parseOutputFormat(json.value(QStringLiteral("format")).toString()).value_or(r.format);
    r.quality = json.value(QStringLiteral("quality")).toInt(r.quality);
    r.progressive = json.value(QStringLiteral("progressive")).toBool(r.progressive);
    r.nameTemplate = json.value(QStringLiteral("name")).toString(r.nameTemplate);
    r.conflict =
        parseConflictPolicy(json.value(QStringLiteral("conflict")).toString()).value_or(r.conflict);
    r.mirrorTree = json.value(QStringLiteral("mirrorTree")).toBool(r.mirrorTree);
    const QJsonObject limits = json.value(QStringLiteral("limits")).toObject();
    auto limit = [&limits](const char *key, qint64 fallback) {
        return qint64(limits.value(QLatin1String(key)).toDouble(double(fallback)));
    };
    r.limits.maxPixels = limit("maxPixels", r.limits.maxPixels);
    r.limits.maxEntryBytes = limit("maxEntryBytes", r.limits.maxEntryBytes);
    r.limits.maxArchiveBytes = limit("maxArchiveBytes", r.limits.maxArchiveBytes);
    r.limits.maxArchiveEntries = limit("maxArchiveEntries", r.limits.maxArchiveEntries);
    r.limits.maxCompressionRatio =
        limits.value(QStringLiteral("maxCompressionRatio")).toDouble(r.limits.maxCompressionRatio);
    return r;
}

QString journalKey(const InputItem &item)
{
    return item.isArchiveEntry() ? item.sourcePath + QChar(0x1f) + item.entryName : item.sourcePath;
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
            const QJsonObject record = QJsonDocument::fromJson(file.readLine()).object();
            if (header) {
                if (record.value(QStringLiteral("sluice")).toString() != QLatin1String("journal"))
                    break;
                summary.spec = JobSpec::fromJson(record.value(QStringLiteral("spec")).toObject());
                header = false;
                continue;
            }
            const QString type = record.value(QStringLiteral("t")).toString();
            if (type == QLatin1String("run")) {
                ++summary.runs;
                ended = false;
            } else if (type == QLatin1String("end")) {
                ended = true;
            } else if (type == QLatin1String("f") &&
                       record.value(QStringLiteral("st")).toString() == QLatin1String("done")) {
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
    if (fresh) {
        QJsonObject header;
        header[QStringLiteral("sluice")] = QStringLiteral("journal");
        header[QStringLiteral("v")] = FormatVersion;
        header[QStringLiteral("spec")] = spec.toJson();
        header[QStringLiteral("created")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        journal->append(header);
    }
    QJsonObject run;
    run[QStringLiteral("t")] = QStringLiteral("run");
    run[QStringLiteral("run")] = journal->m_run;
    run[QStringLiteral("pid")] = double(QCoreApplication::applicationPid());
    run[QStringLiteral("at")] = double(QDateTime::currentMSecsSinceEpoch());
    journal->append(run);
    journal->m_signalSlot = registerFd(int(journal->m_file.handle()));
    journal->m_sinceSync.start();
    return journal;
}

bool Journal::replay(const QByteArray &contents, JournalError *error)
{
    struct Reserved
    {
        QString path;
        qint64 atMs = 0;
        bool write = false;
    };
    QHash<quint64, QString> keys; // of the current run, by tag
    QSet<QString> inFlight;
    QHash<QString, Reserved> reserved;
    bool runOpen = false, runEnded = false, runCrashed = false;
    int runs = 0;
    const bool zip = m_spec.outputIsZip();

    auto endRun = [&] {
        if (runOpen && !runEnded) {
            if (runCrashed)
                ++m_crashedRuns;
            for (const QString &key : std::as_const(inFlight)) {
                Previous &p = m_previous[key];
                const Reserved r = reserved.value(key);
                if (!zip && !r.path.isEmpty()) {
                    const QFileInfo out(r.path);
                    // Committed before the end came: the output is there, written after the
                    // reservation (or, for a skip, it was already there).
                    if (out.isFile() && (!r.write || out.lastModified().toMSecsSinceEpoch() >=
                                                         r.atMs - TimestampSlackMs)) {
                        p.status = Previous::Status::Done;
                        p.output = r.path;
                        continue;
                    }
                    if (r.write)
                        m_orphansRemoved += removeOrphansOf(r.path);
                }
                if (runCrashed)
                    ++p.crashes;
            }
        }
        keys.clear();
        inFlight.clear();
        reserved.clear();
        runOpen = runEnded = runCrashed = false;
    };

    bool header = true;
    for (const QByteArray &text : contents.split('\n')) {
        if (text.trimmed().isEmpty())
            continue;
        const QJsonObject record = QJsonDocument::fromJson(text).object();
        if (record.isEmpty())
            continue; // a torn last line (power loss): ignore it
        if (header) {
            if (record.value(QStringLiteral("sluice")).toString() != QLatin1String("journal")) {
                *error = {JournalError::Kind::Unusable,
                          QStringLiteral("%1 is not a sluice journal").arg(m_path)};
                return false;
            }
            const JobSpec earlier =
                JobSpec::fromJson(record.value(QStringLiteral("spec")).toObject());
            if (!sameOutputs(earlier.recipe, m_spec.recipe) ||
                earlier.includeRootName != m_spec.includeRootName) {
                *error = {JournalError::Kind::OtherSettings,
                          QStringLiteral("the interrupted run of this job used other settings "
                                         "(%1; now %2). Run without --resume to start over with "
                                         "the new settings.")
                              .arg(describe(earlier.recipe), describe(m_spec.recipe))};
                return false;
            }
            header = false;
            continue;
        }
        const QString type = record.value(QStringLiteral("t")).toString();
        const quint64 tag = quint64(record.value(QStringLiteral("i")).toDouble(-1));
        if (type == QLatin1String("run")) {
            endRun();
            runOpen = true;
            ++runs;
        } else if (type == QLatin1String("s")) {
            const QString key = record.value(QStringLiteral("k")).toString();
            keys.insert(tag, key);
            inFlight.insert(key);
        } else if (type == QLatin1String("w")) {
            const QString key = keys.value(tag);
            if (!key.isEmpty())
                reserved.insert(
                    key, {record.value(QStringLiteral("p")).toString(),
                          qint64(record.value(QStringLiteral("at")).toDouble()),
                          record.value(QStringLiteral("a")).toString() == QLatin1String("write")});
        } else if (type == QLatin1String("f")) {
            QString key = record.value(QStringLiteral("k")).toString();
            if (key.isEmpty())
                key = keys.value(tag);
            if (key.isEmpty())
                continue;
            inFlight.remove(key);
            Previous &p = m_previous[key];
            const QString status = record.value(QStringLiteral("st")).toString();
            const QString output = record.value(QStringLiteral("p")).toString();
            if (record.value(QStringLiteral("q")).toBool()) {
                p.status = Previous::Status::Quarantined;
                p.error = record.value(QStringLiteral("e")).toString();
            } else if ((status == QLatin1String("done") || status == QLatin1String("skipped")) &&
                       !output.isEmpty() && !zip) {
                p.status = Previous::Status::Done;
                p.output = output;
                p.crashes = 0;
            } else if (status == QLatin1String("done") || status == QLatin1String("skipped")) {
                p.crashes = 0; // it went through (a non-image, or an entry of a lost archive)
            }
        } else if (type == QLatin1String("end")) {
            runEnded = true;
        } else if (type == QLatin1String("crash")) {
            runCrashed = true;
        }
    }
    if (header) {
        *error = {JournalError::Kind::Unusable,
                  QStringLiteral("the journal %1 is empty or damaged").arg(m_path)};
        return false;
    }
    endRun();
    m_run = runs + 1;
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

void Journal::append(const QJsonObject &record)
{
    const QByteArray bytes = line(record);
    QMutexLocker lock(&m_mutex);
    writeLocked(bytes);
}

void Journal::started(quint64 tag, const InputItem &item)
{
    QJsonObject record;
    record[QStringLiteral("t")] = QStringLiteral("s");
    record[QStringLiteral("i")] = double(tag);
    record[QStringLiteral("k")] = journalKey(item);
    append(record);
}

void Journal::reserved(quint64 tag, const Reservation &reservation)
{
    if (reservation.action == Reservation::Action::Fail)
        return;
    QJsonObject record;
    record[QStringLiteral("t")] = QStringLiteral("w");
    record[QStringLiteral("i")] = double(tag);
    record[QStringLiteral("p")] = reservation.path;
    record[QStringLiteral("a")] = reservation.action == Reservation::Action::Write
                                      ? QStringLiteral("write")
                                      : QStringLiteral("skip");
    record[QStringLiteral("at")] = double(QDateTime::currentMSecsSinceEpoch());
    append(record);
}

void Journal::finished(quint64 tag, ResultStatus status, const QString &output,
                       const QString &error)
{
    QJsonObject record;
    record[QStringLiteral("t")] = QStringLiteral("f");
    record[QStringLiteral("i")] = double(tag);
    record[QStringLiteral("st")] = statusKey(status);
    if (!output.isEmpty())
        record[QStringLiteral("p")] = output;
    if (!error.isEmpty())
        record[QStringLiteral("e")] = error;
    const QByteArray bytes = line(record);
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
    QJsonObject record;
    record[QStringLiteral("t")] = QStringLiteral("f");
    record[QStringLiteral("i")] = double(tag);
    record[QStringLiteral("k")] = journalKey(item);
    record[QStringLiteral("st")] = QStringLiteral("failed");
    record[QStringLiteral("q")] = true;
    record[QStringLiteral("e")] = reason;
    append(record);
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
    unregisterFd(m_signalSlot);
    m_signalSlot = -1;
    if (completed) {
        QMutexLocker lock(&m_mutex);
        m_file.close();
        QFile::remove(m_path);
    } else {
        flush(false);
        QJsonObject end;
        end[QStringLiteral("t")] = QStringLiteral("end");
        end[QStringLiteral("at")] = double(QDateTime::currentMSecsSinceEpoch());
        append(end);
        flush(true);
        QMutexLocker lock(&m_mutex);
        m_file.close();
    }
    if (m_lock)
        m_lock->unlock();
}

} // namespace sluice
