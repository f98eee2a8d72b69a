// Writes outputs as entries of one ZIP archive. One writer thread owns the QuaZip, opened on
// "<final>.part" in the same folder; workers hand it encoded bytes through a bounded queue
// (commit() blocks while the queue is full, so memory stays bounded). finish() drains the
// queue, closes the archive and renames it to the final name; abort() deletes the temporary
// archive. Entries are stored (not deflated): JPEG/PNG/WebP are compressed already.
//
// Names: the same template and mirrored tree as FolderSink, unique inside the archive
// (Rename and Overwrite both number a duplicate, since an archive entry cannot be replaced;
// Skip skips it). No incremental skips: the archive is rebuilt on every run.
//
// A commit() that returns ok means "queued"; a write error in the writer thread makes every
// later commit() fail and finish() return false.
//
// Threading: start(), finish() and abort() are for the owning thread (the one that runs the
// batch), called once each, finish() only after every task has ended. reserve(), commit() and
// release() are thread-safe for workers. The destructor aborts unless finish() succeeded.
#pragma once

#include "recipe.h"
#include "sink.h"

#include <QSet>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace sluice {

class ZipSink : public Sink
{
public:
    ZipSink(const QString &finalPath, const Recipe &recipe, int queueCapacity = 8);
    ~ZipSink() override;

    bool start(QString *error = nullptr);  // opens the temporary archive in the writer thread
    bool finish(QString *error = nullptr); // writes the central directory, renames to final
    void abort();                          // stops, deletes the temporary archive

    QString finalPath() const { return m_finalPath; }
    QString temporaryPath() const { return temporaryPathFor(m_finalPath); }
    static QString temporaryPathFor(const QString &finalPath)
    {
        return finalPath + QStringLiteral(".part");
    }

    Reservation reserve(const OutputRequest &request) override;
    CommitResult commit(const Reservation &reservation, const QByteArray &data,
                        const TaskContext &ctx) override;
    void release(const Reservation &reservation) override;

private:
    struct Entry
    {
        QString name;
        QByteArray data;
        QDateTime modified; // invalid: now
    };
    void writerLoop(); // the writer thread
    bool stopWriter(bool discard, QString *error);

    QString m_finalPath;
    QString m_nameTemplate;
    bool m_mirrorTree;
    ConflictPolicy m_conflict;
    bool m_keepDates;
    size_t m_capacity;

    std::mutex m_mutex;
    std::condition_variable m_queueHasRoom; // workers wait here in commit()
    std::condition_variable m_queueHasWork; // the writer waits here
    std::condition_variable m_opened;       // start() waits for the writer's open
    std::deque<Entry> m_queue;              // guarded by m_mutex
    QSet<QString> m_names;                  // guarded by m_mutex
    bool m_started = false;
    bool m_openDone = false;
    bool m_stopping = false; // no more entries will come
    bool m_discard = false;  // abort: drop the queue
    bool m_failed = false;
    bool m_finished = false;
    QString m_error; // the writer's first error
    quint64 m_nextId = 1;
    std::thread m_writer;
};

} // namespace sluice
