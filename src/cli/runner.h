// One sluice-cli run: makes the sink (a folder or one ZIP), the pool and one batch, starts the
// feeder thread, turns the pool's signals into progress and report records, and ends with the
// summary, the report and an exit code. Main thread only; it never blocks on the pool (the
// feeder blocks on submit, and an interrupt's shutdown runs on a helper thread).
//
// Interrupts: the first SIGINT/SIGTERM stops feeding and shuts the pool down with a 5 s
// deadline (running images finish or are canceled; processImage leaves no partial output),
// aborts an output ZIP, writes the report, and exits 3. A second one removes the temporary
// ZIP, writes the report with what is known, and exits 3 at once.
#pragma once

#include "clioptions.h"
#include "feeder.h"
#include "progressprinter.h"
#include "report.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <journal.h>
#include <memory>
#include <sink.h>
#include <workerpool.h>

class QThread;

namespace sluice {
class ZipSink;
}

namespace sluice::cli {

class Runner : public QObject
{
    Q_OBJECT
public:
    explicit Runner(CliOptions options, QObject *parent = nullptr);
    ~Runner() override;

    // finished() follows, possibly at once (an output that cannot be created).
    void start();
    // From SignalWatcher: the first stops gracefully, a second one exits the process at once.
    void interrupt(int signalNumber, int count);

signals:
    void finished(int exitCode);

private:
    bool openJournal(QString *error, int *exitCode);
    bool createSink(QString *error);
    void createPool();
    void startFeeder();
    void handleResults(const QVector<sluice::TaskResult> &results);
    void handleProgress(sluice::BatchId batch, const sluice::BatchCounters &counters);
    void handleBatchFinished(const sluice::BatchSummary &summary);
    void handleStateChanged(sluice::BatchId batch, sluice::BatchState state);
    void checkDiskSpace();
    void handleScanFinished(qint64 submitted);
    void beginGracefulStop();
    void handleStopped();
    void finish();
    [[noreturn]] void exitImmediately();

    ReportRecord &recordFor(quint64 tag);
    void collectUnfinished();
    bool finishSink();
    void markDiscarded();
    RunSummary makeSummary() const;
    int exitCodeFor(const RunTally &tally) const;
    void writeReportFile(const RunSummary &summary);
    void printSummary(const RunSummary &summary) const;
    void printFailures() const;

    CliOptions m_options;
    std::shared_ptr<const Recipe> m_recipe;
    // Declaration order is destruction order in reverse: the feeder goes before the pool, the
    // pool (and every task using the sink) before the sink, and the log outlives the feeder.
    std::unique_ptr<Sink> m_sink;
    std::shared_ptr<Journal> m_journal; // null with --no-journal and for the demo
    QTimer m_journalTimer;              // writes grouped journal records that are due
    QTimer m_diskTimer;                 // while paused on a full disk: waits for free space
    ZipSink *m_zip = nullptr; // m_sink when the output is an archive
    std::unique_ptr<WorkerPool> m_pool;
    BatchId m_batch = 0;
    ItemLog m_log;
    std::unique_ptr<Feeder> m_feeder;
    QThread *m_stopper = nullptr;    // runs the interrupt's blocking shutdown; child of this
    QVector<ReportRecord> m_records; // by task tag
    ProgressPrinter m_progress;
    QElapsedTimer m_clock;
    bool m_scanFinished = false;
    bool m_interrupted = false;
    bool m_sinkFailed = false;
    bool m_done = false;
};

} // namespace sluice::cli
