// One batch, from a job spec to a closed output: the orchestration that sluice-cli and the GUI
// share. A runner opens the job's journal (a typed refusal, see StartError), creates the sink (a
// folder, or one ZIP), creates the pool batch, runs the feeder thread (scan or replay, shards,
// backpressure), records every item's outcome (and journals it, flushing grouped records on a
// timer), and closes the output and the journal when the batch ends: a complete ZIP is
// finished, anything else discards it; a journal is deleted when nothing is left to resume.
//
// The pool is the owner's: the GUI holds one pool and many runners, sluice-cli one of each.
// Runners must be destroyed before their pool. Stopping for good (Ctrl-C, closing the window)
// is the pool's shutdown: call requestStop() on every runner, shut the pool down
// (WorkerPool::shutdownInBackground), then closeAfterShutdown() and waitForFeeder().
//
// Threading: owner's thread only (the one the WorkerPool lives in). It never blocks on the
// pool: the feeder blocks on submit, and shutdown is the owner's.
#pragma once

#include "batchfeeder.h"
#include "imagejob.h"
#include "itemlog.h"
#include "journal.h"
#include "recipe.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QSize>
#include <QTimer>
#include <QVector>
#include <memory>
#include <workerpool.h>

namespace sluice {

class ZipSink;

// What to run. Paths are made absolute and clean by the runner (so that the CLI and the GUI
// name the same job the same way, and find each other's journals).
struct BatchSpec
{
    enum class Journaling : quint8
    {
        None,  // no journal (retries of failed items, the demo, --no-journal)
        Fresh, // replace an earlier unfinished journal of the same job
        Resume // continue one; with none, start fresh
    };

    QString name;                 // for display and the journal
    QStringList inputs;           // scanned when `items` is empty
    std::vector<InputItem> items; // replayed as they are ("retry failed")
    QString output;               // a folder, or a path ending in ".zip"
    Recipe recipe;
    Priority priority = Priority::Normal;
    int shardIndex = 0; // 0-based
    int shardCount = 1;
    bool includeRootName = true; // InputScanner::setIncludeRootName
    bool includeHidden = false;  // InputScanner::setIncludeHidden
    Journaling journaling = Journaling::None;
    qint64 maxQueued = 64; // the feeder's lead: queueBoundFor() the pool's configuration
    QString journalDirectory = Journal::defaultDirectory(); // empty: no journal
    TaskHook hook;                                          // tests: runs inside every task

    bool outputIsZip() const;
    // The journal's identity of this job, with clean absolute paths.
    JobSpec jobSpec() const;
};

// One finished item, in completion order.
struct ItemRecord
{
    quint64 tag = 0;
    ResultStatus status = ResultStatus::Done;
    int attempts = 0;
    QString message;    // failure reason, or why it was skipped (skipReasonText)
    QString outputPath; // folder outputs: absolute path; ZIP outputs: entry name
    ImageResult::Skip skip = ImageResult::Skip::None;
    QSize inputSize; // invalid when unknown
    QSize outputSize;
    qint64 ms = -1; // time inside the job; -1 when unknown
};

// Why a skipped item was skipped, translated (context "sluice::BatchRunner").
QString skipReasonText(ImageResult::Skip skip);

class BatchRunner : public QObject
{
    Q_OBJECT
public:
    struct StartError
    {
        enum class Kind : quint8
        {
            None,
            JournalBusy,          // another process runs this job
            JournalOtherSettings, // Resume: the earlier run used other settings
            OutputUnusable,       // the output ZIP cannot be created
            PoolClosed            // the pool no longer takes batches
        };
        Kind kind = Kind::None;
        QString message;
    };

    BatchRunner(WorkerPool &pool, BatchSpec spec, QObject *parent = nullptr);
    // Stops feeding (canceling the batch if it is still active) and waits for the feeder.
    ~BatchRunner() override;

    // Opens the journal, the output and the batch, and starts feeding. False with `error` set
    // when it cannot; a journal that cannot be written does not stop the work (see
    // journalWarning()). Call once.
    bool start(StartError *error = nullptr);

    BatchId id() const { return m_id; }
    const BatchSpec &spec() const { return m_spec; }
    QString outputPath() const { return m_spec.output; } // the folder or the archive
    bool isZipOutput() const { return m_zip != nullptr; }
    // The journal of this run (null without one); its replay figures say what a resume kept.
    const Journal *journal() const { return m_journal.get(); }
    // Why the batch runs without the journal it asked for; empty when none was refused.
    QString journalWarning() const { return m_journalWarning; }
    // A Fresh start replaced an unfinished earlier journal of the same job.
    bool replacedEarlierJournal() const { return m_replacedEarlier; }

    bool isScanning() const { return m_scanning; }
    bool isActive() const { return m_active; } // the batch has not ended yet
    qint64 submitted() const;
    qint64 outOfShard() const;
    // Items the feeder handed to the pool so far (tags 0..count-1), and each one's input.
    qint64 itemCount() const { return m_log->size(); }
    InputItem input(quint64 tag) const { return m_log->at(tag); }
    const QVector<ItemRecord> &items() const { return m_items; } // in completion order
    const QVector<quint64> &failedTags() const { return m_failedTags; }
    // The output ZIP was discarded (a canceled or interrupted batch): its items are not there.
    bool outputDiscarded() const { return m_outputDiscarded; }
    // The output could not be completed (a ZIP that failed to be written); the reason.
    QString outputError() const { return m_outputError; }

    // Stops feeding after the current item; the batch goes on with what was submitted.
    void requestStop();
    // Stops feeding and cancels the batch (the pool drops what is queued).
    void cancel();
    // After the pool was shut down (and flushed): an output still open is discarded, the
    // journal is kept for a resume.
    void closeAfterShutdown();
    // Waits for the feeder thread. A scan stuck in the kernel (a hung network share) is not
    // waited for past the deadline: then its thread is left running on purpose (destroying a
    // running QThread aborts), and the pool it may still call must be kept alive: false.
    bool waitForFeeder(QDeadlineTimer deadline);
    // The process is about to exit without waiting for anything (a second Ctrl-C): the
    // unfinished archive is deleted, the journal closed for a resume.
    void closeAtOnce();

signals:
    void itemsFinished(sluice::BatchId batch, int first, int count); // records appended
    void progressChanged(sluice::BatchId batch, const sluice::BatchCounters &counters);
    void scanFinished(sluice::BatchId batch, qint64 submitted); // every input listed
    // The batch ended and its output and journal are closed: a ZIP completed (ok), or
    // discarded, or a folder batch ended (ok when it finished rather than being canceled).
    void outputClosed(sluice::BatchId batch, bool ok, const QString &error);

private:
    bool openJournal(StartError *error);
    bool createSink(StartError *error);
    void startFeeder(QStringList excluded);
    void handleResults(const QVector<sluice::TaskResult> &results);
    void handleBatchFinished(const sluice::BatchSummary &summary);
    void handleScanFinished(sluice::BatchId batch, qint64 submitted);
    bool closeOutput(bool complete);
    void closeJournal(bool completed);

    WorkerPool &m_pool;
    BatchSpec m_spec;
    std::shared_ptr<const Recipe> m_recipe;
    // Shared with the tasks, which may outlive the runner after a shutdown deadline.
    std::shared_ptr<Sink> m_sink;
    ZipSink *m_zip = nullptr; // m_sink, when the output is an archive
    std::shared_ptr<Journal> m_journal;
    std::shared_ptr<ItemLog> m_log;
    std::unique_ptr<BatchFeeder> m_feeder;
    QTimer m_journalTimer; // writes grouped journal records that are due
    BatchId m_id = 0;
    QVector<ItemRecord> m_items;
    QVector<quint64> m_failedTags;
    QString m_journalWarning;
    QString m_outputError;
    bool m_replacedEarlier = false;
    bool m_scanning = false;
    bool m_active = false;
    bool m_stopping = false; // requestStop(): the end is a stop, not a completion
    bool m_outputDiscarded = false;
};

} // namespace sluice
