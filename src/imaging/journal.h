// The journal of one job: an append-only file that lets a run killed at any point (kill -9, a
// crash, a close past the shutdown timeout) be resumed without losing or duplicating work.
//
// Where: one file per job under QStandardPaths::GenericDataLocation + "/sluice/journals"
// (~/.local/share/sluice/journals), named by a hash of the inputs, the output and the shard,
// so the CLI and the GUI find a job's journal again from the same inputs and output.
//
// What: JSON lines. A header (the JobSpec, recipe included), then for every run a "run"
// record, and per item:
//   - "s" started: written at once, before the item is read (a crash right after finds it);
//   - "w" output reserved: written at once, with the path and the time;
//   - "f" finished (done, skipped, failed, canceled, quarantined): grouped, written when 256
//     are pending or the oldest is 250 ms old, and synced to disk at most every 2 s;
//   - "end" when a run stops cleanly (interrupted; a completed job deletes its journal), and
//     "crash" from a signal handler when the process dies of SIGSEGV, SIGBUS, SIGILL, SIGFPE
//     or SIGABRT.
//
// Resume (open(..., Resume)): the runs are replayed. An item whose output was recorded (or
// whose reserved output exists and is newer than its reservation) is not redone. Items in
// flight when a run died are redone; their orphan temporary files (QSaveFile's
// "<name>.XXXXXX", left where O_TMPFILE is not available) are removed. An item that was in
// flight when the process crashed (a crash record, not a kill) counts one crash; with one it is
// rerun alone (runAlone()), with two it is quarantined as failed so the batch can finish.
//
// A job is held by one process at a time (a QLockFile beside the journal; a dead holder's lock
// is taken over).
//
// Parts: the job's identity in jobspec.h, the record codec in journalrecord.h, the replay in
// journalreplay.h, the crash signal handler in crashrecords.h.
//
// Threading: started(), reserved() and finished() are thread-safe. open(), close() and the
// queries are for the owning thread.
#pragma once

#include "inputitem.h"
#include "jobspec.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QLockFile>
#include <QMutex>
#include <QStringList>
#include <memory>
#include <pooltypes.h>

namespace sluice {

struct Reservation;

// The key of an item in a journal: its file, or its archive plus entry.
QString journalKey(const InputItem &item);

// Why Journal::open() refused, by kind, so that callers decide without reading the message.
struct JournalError
{
    enum class Kind : quint8
    {
        None,
        Busy,          // another process holds the job (runs the same inputs and output now)
        OtherSettings, // Resume: the earlier run used other output settings
        Unusable       // the journal folder or file cannot be created, read or written
    };
    Kind kind = Kind::None;
    QString message; // for the user, in English

    bool isError() const { return kind != Kind::None; }
};

class Journal
{
public:
    // What earlier runs left for one item.
    struct Previous
    {
        enum class Status : quint8
        {
            None, // never finished (or canceled, or failed: do it again)
            Done, // its output exists
            Quarantined
        };
        Status status = Status::None;
        QString output; // Done: the absolute output path
        QString error;  // Quarantined: why
        int crashes = 0;
    };

    // An unfinished job, for the GUI's "resume?" list.
    struct Summary
    {
        QString path;
        JobSpec spec;
        QDateTime lastRun;
        int runs = 0;
        qint64 finishedItems = 0; // items recorded done in earlier runs
        bool crashed = false;     // the last run died (kill or crash) rather than stopping
    };

    enum class Mode : quint8
    {
        Fresh, // replace an earlier journal of the job (its history is not used)
        Resume // continue it; with none, start one
    };

    static QString defaultDirectory();
    static QString pathFor(const JobSpec &spec, const QString &directory = defaultDirectory());
    // Jobs with a journal that no running process holds.
    static QList<Summary> unfinished(const QString &directory = defaultDirectory());
    // Deletes an unfinished journal (the user chose not to resume). False when it is held.
    static bool discard(const QString &path);

    // Takes the job's lock and opens its journal for a new run. Returns nullptr with `error` set
    // when another process runs the job (Busy), on Resume when the earlier run's settings differ
    // from `spec`'s (OtherSettings), and when the journal cannot be used (Unusable).
    static std::unique_ptr<Journal> open(const JobSpec &spec, Mode mode, JournalError *error,
                                         const QString &directory = defaultDirectory());
    ~Journal(); // closes as interrupted unless close() was called

    Journal(const Journal &) = delete;
    Journal &operator=(const Journal &) = delete;

    QString path() const { return m_path; }
    int run() const { return m_run; } // 1 for a fresh job
    bool resumed() const { return m_run > 1; }
    const JobSpec &spec() const { return m_spec; }
    // Replayed state of earlier runs.
    Previous previous(const InputItem &item) const;
    qint64 previousDone() const { return m_previousDone; }
    int orphansRemoved() const { return m_orphansRemoved; }
    int crashedRuns() const { return m_crashedRuns; }
    // A suspect (in flight at one crash) runs alone, so a second crash convicts it alone.
    static bool runAlone(const Previous &previous) { return previous.crashes == 1; }
    static bool isPoison(const Previous &previous)
    {
        return previous.status == Previous::Status::Quarantined || previous.crashes >= 2;
    }
    static QString quarantineReason(const Previous &previous);

    // --- Records. Thread-safe. ------------------------------------------------------------------
    void started(quint64 tag, const InputItem &item);
    void reserved(quint64 tag, const Reservation &reservation);
    void finished(quint64 tag, ResultStatus status, const QString &output,
                  const QString &error = {});
    void quarantined(quint64 tag, const InputItem &item, const QString &reason);
    // Writes the pending group when it is due (the owner calls this on a timer and after
    // results); flush() writes it now, and syncs it to disk when `sync`.
    void flushIfDue();
    void flush(bool sync = false);

    // The run ends. completed: every item is terminal and nothing needs resuming, so the
    // journal is deleted; otherwise an "end" record keeps it for a resume.
    void close(bool completed);

private:
    Journal() = default;
    bool replay(const QByteArray &contents, JournalError *error);
    void append(const QByteArray &record); // written at once
    void writeLocked(const QByteArray &bytes);

    QString m_path;
    JobSpec m_spec;
    std::unique_ptr<QLockFile> m_lock;
    QHash<QString, Previous> m_previous;
    qint64 m_previousDone = 0;
    int m_orphansRemoved = 0;
    int m_crashedRuns = 0;
    int m_run = 1;
    bool m_closed = false;
    int m_signalSlot = -1;

    QMutex m_mutex; // guards everything below
    QFile m_file;
    QByteArray m_pending;
    int m_pendingCount = 0;
    QElapsedTimer m_sincePendingStart;
    QElapsedTimer m_sinceSync;
};

} // namespace sluice
