// One sluice-cli run: the pool and one BatchRunner (which owns the journal, the sink, the
// feeder and the records), the progress line, waiting out a full disk, and the end: the
// summary, the report and an exit code. Main thread only; it never blocks on the pool (the
// feeder blocks on submit, and an interrupt's shutdown runs on the pool's helper thread).
//
// Interrupts: the first SIGINT/SIGTERM stops feeding and shuts the pool down with a 5 s
// deadline (running images finish or are canceled; processImage leaves no partial output),
// discards an output ZIP, writes the report, and exits 3. A second one removes the temporary
// ZIP, writes the report with what is known, and exits 3 at once.
#pragma once

#include "clioptions.h"
#include "progressprinter.h"
#include "report.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <batchrunner.h>
#include <memory>
#include <workerpool.h>

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

    // The report's records so far, one per input handed to the pool, by tag.
    QVector<ReportRecord> records() const;

signals:
    void finished(int exitCode);

private:
    bool startBatch(QString *error, int *exitCode);
    void printJournalNotes() const;
    void handleProgress(sluice::BatchId batch, const sluice::BatchCounters &counters);
    void handleStateChanged(sluice::BatchId batch, sluice::BatchState state);
    void handleScanFinished(sluice::BatchId batch, qint64 submitted);
    void handleBatchEnded();
    void checkDiskSpace();
    void beginGracefulStop();
    void handleStopped();
    void finish();
    [[noreturn]] void exitImmediately();

    RunSummary makeSummary(const QVector<ReportRecord> &records) const;
    int exitCodeFor(const RunTally &tally) const;
    // False (after saying why) when the report cannot be written.
    bool writeReportFile(const QVector<ReportRecord> &records, const RunSummary &summary) const;
    void printSummary(const RunSummary &summary) const;

    CliOptions m_options;
    // Declaration order is destruction order in reverse: the batch (and its feeder) goes
    // before the pool.
    std::unique_ptr<WorkerPool> m_pool;
    std::unique_ptr<BatchRunner> m_batch;
    QTimer m_diskTimer; // while paused on a full disk: waits for free space
    ProgressPrinter m_progress;
    QElapsedTimer m_clock;
    bool m_scanFinished = false;
    bool m_interrupted = false;
    bool m_feederStuck = false;
    bool m_done = false;
};

} // namespace sluice::cli
