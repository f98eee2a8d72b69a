#include "runner.h"

#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>
#include <QThread>
#include <cstdio>
#include <cstdlib>
#include <foldersink.h>
#include <localpath.h>
#include <poolsetup.h>
#include <printable.h>

namespace sluice::cli {

namespace {

constexpr int ShutdownDeadlineMs = 5000;
constexpr int FeederGraceMs = 2000;
constexpr int FailuresShown = 20;
constexpr int DiskCheckMs = 2000;
// Free space that ends a pause on a full disk: room for a good number of outputs.
constexpr qint64 DiskRoomBytes = 64LL * 1024 * 1024;

void printErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void fillFromItem(ReportRecord &record, const ItemRecord &item)
{
    record.status = item.status;
    record.attempts = item.attempts;
    record.output = item.outputPath;
    record.inputSize = item.inputSize;
    record.outputSize = item.outputSize;
    record.ms = item.ms;
    if (item.status == ResultStatus::Failed)
        record.error = item.message;
    else if (item.status == ResultStatus::Skipped)
        record.skipReason = item.message;
    else if (item.status == ResultStatus::Done)
        record.note = item.message;
}

PoolConfig poolConfigFor(const CliOptions &options)
{
    const int workers = options.autoWorkers   ? 0
                        : options.workers > 0 ? options.workers
                                              : qMax(1, QThread::idealThreadCount());
    return recommendedPoolConfig(workers, options.ratePerSecond, options.retries);
}

// Prints "sluice-cli: <line>" for the first FailuresShown records that `describe` gives a line
// for (empty: not listed), then how many more there are, as `more` ("failures", "notes").
template<typename Describe>
void printListed(const QVector<ReportRecord> &records, bool haveReport, const char *more,
                 Describe describe)
{
    int listed = 0;
    for (const ReportRecord &r : records) {
        const QString line = describe(r);
        if (!line.isEmpty() && ++listed <= FailuresShown)
            printErr(QStringLiteral("sluice-cli: %1\n").arg(line));
    }
    if (listed > FailuresShown)
        printErr(QStringLiteral("sluice-cli: ... and %1 more %2%3\n")
                     .arg(listed - FailuresShown)
                     .arg(QLatin1String(more), haveReport ? QStringLiteral(", see the report")
                                                          : QStringLiteral(" (use --report)")));
}

QString nameOf(const ReportRecord &r)
{
    return printable(r.relativePath.isEmpty() ? r.displayName() : r.relativePath);
}

// Done, but not all of the input reached the output: "note: anim.gif: first frame of 42".
void printNotes(const QVector<ReportRecord> &records, bool haveReport)
{
    printListed(records, haveReport, "notes", [](const ReportRecord &r) {
        if (r.status != ResultStatus::Done || r.note.isEmpty())
            return QString();
        return QStringLiteral("note: %1: %2").arg(nameOf(r), printable(r.note));
    });
}

void printFailures(const QVector<ReportRecord> &records, bool haveReport)
{
    printListed(records, haveReport, "failures", [](const ReportRecord &r) {
        if (r.status != ResultStatus::Failed)
            return QString();
        return QStringLiteral("failed: %1: %2 (%3 attempt%4)")
            .arg(nameOf(r), printable(r.error))
            .arg(r.attempts)
            .arg(r.attempts == 1 ? QString() : QStringLiteral("s"));
    });
}

} // namespace

Runner::Runner(CliOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_progress(ProgressPrinter::styleFor(m_options.quiet))
{}

Runner::~Runner() = default; // the batch stops its feeder, then the pool shuts down

void Runner::start()
{
    m_clock.start();
    QString error;
    int exitCode = 1;
    if (!startBatch(&error, &exitCode)) {
        printErr(QStringLiteral("sluice-cli: %1\n").arg(error));
        m_done = true;
        emit finished(exitCode);
        return;
    }
    printJournalNotes();
    m_progress.start();
}

// Refused with exit 1 when another process runs the same job or the output ZIP cannot be
// made, and with exit 2 on --resume with other settings than the earlier run.
bool Runner::startBatch(QString *error, int *exitCode)
{
    const PoolConfig config = poolConfigFor(m_options);
    m_pool = std::make_unique<WorkerPool>(config);
    connect(m_pool.get(), &WorkerPool::batchStateChanged, this, &Runner::handleStateChanged);
    connect(m_pool.get(), &WorkerPool::shutdownFinished, this, &Runner::handleStopped);
    connect(&m_diskTimer, &QTimer::timeout, this, &Runner::checkDiskSpace);

    BatchSpec spec;
    spec.name = QStringLiteral("sluice-cli");
    spec.inputs = m_options.inputs;
    spec.output = m_options.output;
    spec.recipe = m_options.recipe;
    spec.priority = m_options.priority;
    spec.shardIndex = m_options.shardIndex;
    spec.shardCount = m_options.shardCount;
    spec.includeHidden = m_options.includeHidden;
    spec.maxQueued = queueBoundFor(config);
    if (m_options.journal && !m_options.demo)
        spec.journaling =
            m_options.resume ? BatchSpec::Journaling::Resume : BatchSpec::Journaling::Fresh;
    m_batch = std::make_unique<BatchRunner>(*m_pool, std::move(spec));
    connect(m_batch.get(), &BatchRunner::progressChanged, this, &Runner::handleProgress);
    connect(m_batch.get(), &BatchRunner::scanFinished, this, &Runner::handleScanFinished);
    connect(m_batch.get(), &BatchRunner::outputClosed, this, &Runner::handleBatchEnded);
    BatchRunner::StartError why;
    if (m_batch->start(&why))
        return true;
    *error = why.message;
    *exitCode = why.kind == BatchRunner::StartError::Kind::JournalOtherSettings ? 2 : 1;
    return false;
}

void Runner::printJournalNotes() const
{
    if (!m_options.quiet) {
        for (const QString &note : m_options.notes)
            printErr(QStringLiteral("sluice-cli: note: %1\n").arg(note));
    }
    if (!m_batch->journalWarning().isEmpty()) // a journal folder that cannot be written
        printErr(QStringLiteral("sluice-cli: warning: %1; running without a journal (a kill "
                                "or crash could not be resumed exactly)\n")
                     .arg(m_batch->journalWarning()));
    if (m_options.quiet)
        return;
    const Journal *journal = m_batch->journal();
    if (journal && journal->resumed()) {
        printErr(
            QStringLiteral("sluice-cli: resuming (run %1 of this job): %2 outputs "
                           "done earlier are kept%3%4\n")
                .arg(journal->run())
                .arg(journal->previousDone())
                .arg(journal->orphansRemoved() > 0
                         ? QStringLiteral(", %1 orphan temporary files removed")
                               .arg(journal->orphansRemoved())
                         : QString())
                .arg(journal->crashedRuns() > 0
                         ? QStringLiteral(", %1 earlier run(s) crashed").arg(journal->crashedRuns())
                         : QString()));
    } else if (journal && m_options.resume) {
        printErr(QStringLiteral("sluice-cli: nothing to resume for these inputs and this "
                                "output; starting a new run\n"));
    } else if (m_batch->replacedEarlierJournal()) {
        printErr(QStringLiteral("sluice-cli: note: an unfinished earlier run of this job "
                                "was found and is replaced by this one (--resume would "
                                "have continued it)\n"));
    }
}

// A task found the output disk full: the batch paused itself instead of burning retries. Wait
// for free space and go on; Ctrl-C stops as usual (and --resume continues later).
void Runner::handleStateChanged(BatchId batch, BatchState state)
{
    if (batch != m_batch->id() || m_interrupted || state != BatchState::Paused)
        return;
    const QString reason = m_pool->engine().pauseReason(batch);
    if (reason.isEmpty() || m_diskTimer.isActive())
        return;
    m_progress.stop();
    printErr(QStringLiteral("sluice-cli: paused: %1\nsluice-cli: free some space; the run goes "
                            "on by itself once %2 MB are free (Ctrl-C stops it; --resume "
                            "continues later)\n")
                 .arg(reason)
                 .arg(DiskRoomBytes / (1024 * 1024)));
    m_diskTimer.start(DiskCheckMs);
}

void Runner::checkDiskSpace()
{
    const QStorageInfo storage(FolderSink::nearestExisting(m_options.output));
    const qint64 available = storage.isValid() ? storage.bytesAvailable() : -1;
    if (available >= 0 && available < DiskRoomBytes)
        return;
    m_diskTimer.stop();
    printErr(QStringLiteral("sluice-cli: resuming: %1 MB free on the output disk\n")
                 .arg(available / (1024 * 1024)));
    m_pool->engine().resumeBatch(m_batch->id());
    m_progress.start();
}

void Runner::handleProgress(BatchId, const BatchCounters &counters)
{
    m_progress.setCounters(counters);
    m_progress.setScanned(m_batch->submitted(), m_scanFinished);
}

void Runner::handleScanFinished(BatchId, qint64 submitted)
{
    m_scanFinished = true;
    m_progress.setScanned(submitted, true);
}

void Runner::handleBatchEnded()
{
    // After an interrupt the pool's shutdown (handleStopped) finishes the run instead.
    if (!m_interrupted)
        finish();
}

void Runner::interrupt(int signalNumber, int count)
{
    Q_UNUSED(signalNumber);
    if (m_done)
        return;
    if (count >= 2 || !m_batch)
        exitImmediately();
    if (!m_interrupted)
        beginGracefulStop();
}

void Runner::beginGracefulStop()
{
    m_interrupted = true;
    if (!m_options.quiet) {
        m_progress.stop();
        printErr(QStringLiteral("sluice-cli: interrupted; letting running images finish (up to "
                                "%1 s). Press Ctrl-C again to quit at once.\n")
                     .arg(ShutdownDeadlineMs / 1000));
    }
    m_batch->requestStop();
    m_pool->shutdownInBackground(QDeadlineTimer(ShutdownDeadlineMs));
}

void Runner::handleStopped()
{
    m_batch->closeAfterShutdown();
    m_feederStuck = !m_batch->waitForFeeder(QDeadlineTimer(FeederGraceMs));
    finish();
}

void Runner::finish()
{
    if (m_done)
        return;
    m_done = true;
    if (!m_interrupted) // the batch finished, so the feeder has closed it and is returning
        m_batch->waitForFeeder(QDeadlineTimer::Forever);
    m_progress.stop();
    m_diskTimer.stop();
    if (!m_batch->outputError().isEmpty())
        printErr(QStringLiteral("sluice-cli: the archive %1 could not be written: %2\n")
                     .arg(m_batch->outputPath(), m_batch->outputError()));
    const QVector<ReportRecord> all = records();
    RunSummary summary = makeSummary(all);
    // A report asked for and not written is a failed run, not a success to a script.
    if (!writeReportFile(all, summary) && summary.exitCode == 0)
        summary.exitCode = 1;
    if (!m_options.quiet)
        printNotes(all, !m_options.reportPath.isEmpty());
    printFailures(all, !m_options.reportPath.isEmpty());
    printSummary(summary);
    if (m_feederStuck) {
        // Stuck in a slow directory listing past the grace period: do not wait for it.
        std::fflush(nullptr);
        std::_Exit(summary.exitCode);
    }
    emit finished(summary.exitCode);
}

[[noreturn]] void Runner::exitImmediately()
{
    if (m_batch)
        m_batch->closeAtOnce();
    m_progress.stop();
    const QVector<ReportRecord> all = records();
    RunSummary summary = makeSummary(all);
    summary.interrupted = true;
    summary.exitCode = 3;
    writeReportFile(all, summary);
    printErr(QStringLiteral("sluice-cli: stopped at once; images that were running may not "
                            "have been written.\n"));
    std::fflush(nullptr);
    std::_Exit(3);
}

// Inputs that were handed to the pool but never ran (an interrupt) are reported as canceled;
// so are those written into an archive that was then discarded.
QVector<ReportRecord> Runner::records() const
{
    QVector<ReportRecord> all;
    if (!m_batch)
        return all;
    const qint64 count = m_batch->itemCount();
    all.reserve(count);
    for (qint64 tag = 0; tag < count; ++tag) {
        const InputItem input = m_batch->input(quint64(tag));
        ReportRecord record;
        record.source = localpath::escaped(input.sourcePath); // bytes that are not UTF-8: \xNN
        record.entry = input.isArchiveEntry() ? input.entryName : QString();
        record.relativePath = input.relativePath;
        all.append(record);
    }
    for (const ItemRecord &item : m_batch->items()) {
        if (item.tag < quint64(all.size()))
            fillFromItem(all[qsizetype(item.tag)], item);
    }
    if (!m_batch->outputDiscarded())
        return all;
    for (ReportRecord &r : all) {
        if (r.status != ResultStatus::Done)
            continue;
        r.status = ResultStatus::Canceled;
        r.output.clear();
        r.error = QStringLiteral("interrupted: the unfinished archive was discarded");
    }
    return all;
}

RunSummary Runner::makeSummary(const QVector<ReportRecord> &records) const
{
    RunSummary s;
    s.tally = RunTally::of(records);
    s.elapsedMs = m_clock.elapsed();
    s.imagesPerSecond = s.elapsedMs > 0 ? double(s.tally.done) * 1000.0 / double(s.elapsedMs) : 0;
    s.interrupted = m_interrupted;
    s.exitCode = exitCodeFor(s.tally);
    s.output = QFileInfo(m_options.output).absoluteFilePath();
    s.shardIndex = m_options.shardIndex;
    s.shardCount = m_options.shardCount;
    return s;
}

int Runner::exitCodeFor(const RunTally &tally) const
{
    if (m_interrupted || tally.canceled > 0)
        return 3;
    if (tally.failed > 0 || (m_batch && !m_batch->outputError().isEmpty()))
        return 1;
    return 0;
}

bool Runner::writeReportFile(const QVector<ReportRecord> &records, const RunSummary &summary) const
{
    if (m_options.reportPath.isEmpty())
        return true;
    QString error;
    // The report's folder is made as the output's is (shards often name a fresh one).
    const QString folder = QFileInfo(m_options.reportPath).absolutePath();
    if (QDir().mkpath(folder) && writeReport(m_options.reportPath, records, summary, &error))
        return true;
    printErr(QStringLiteral("sluice-cli: cannot write the report %1: %2\n")
                 .arg(m_options.reportPath,
                      error.isEmpty() ? QStringLiteral("cannot make the folder %1").arg(folder)
                                      : error));
    return false;
}

void Runner::printSummary(const RunSummary &s) const
{
    if (m_options.quiet)
        return;
    printErr(QStringLiteral("sluice-cli: %1%2 done, %3 skipped, %4 failed, %5 canceled of %6 "
                            "in %7 s (%8 images/s)\n")
                 .arg(s.interrupted ? QStringLiteral("interrupted: ") : QString())
                 .arg(s.tally.done)
                 .arg(s.tally.skipped)
                 .arg(s.tally.failed)
                 .arg(s.tally.canceled)
                 .arg(s.tally.total)
                 .arg(double(s.elapsedMs) / 1000.0, 0, 'f', 1)
                 .arg(s.imagesPerSecond, 0, 'f', 1));
    if (s.tally.done > 0 && !(m_batch->isZipOutput() && s.interrupted))
        printErr(QStringLiteral("sluice-cli: output: %1\n").arg(s.output));
    if (!m_options.reportPath.isEmpty())
        printErr(QStringLiteral("sluice-cli: report: %1\n")
                     .arg(QFileInfo(m_options.reportPath).absoluteFilePath()));
}

} // namespace sluice::cli
