#include "runner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>
#include <QThread>
#include <cstdio>
#include <cstdlib>
#include <foldersink.h>
#include <imagejob.h>
#include <zipsink.h>

namespace sluice::cli {

namespace {

constexpr int ShutdownDeadlineMs = 5000;
constexpr int FeederGraceMs = 2000;
constexpr int FailuresShown = 20;
constexpr qint64 MemoryBudgetBytes = 1024LL * 1024 * 1024;
constexpr int JournalFlushMs = 250;
constexpr int DiskCheckMs = 2000;
// Free space that ends a pause on a full disk: room for a good number of outputs.
constexpr qint64 DiskRoomBytes = 64LL * 1024 * 1024;

void printErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

// File names may hold control characters (a newline, an escape sequence): shown on a terminal
// they could forge lines or drive the terminal. Shown as \xNN instead.
QString printable(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString skipReasonOf(ImageResult::Skip skip)
{
    switch (skip) {
    case ImageResult::Skip::NotAnImage:
        return QStringLiteral("not an image");
    case ImageResult::Skip::UpToDate:
        return QStringLiteral("up to date");
    case ImageResult::Skip::OutputExists:
        return QStringLiteral("output exists");
    case ImageResult::Skip::DoneBefore:
        return QStringLiteral("done in an earlier run");
    case ImageResult::Skip::None:
        break;
    }
    return {};
}

void fillFromResult(ReportRecord &record, const TaskResult &result)
{
    record.status = result.status;
    record.attempts = result.attempts;
    if (result.status == ResultStatus::Failed)
        record.error = result.message;
    if (!result.detail.canConvert<ImageResult>())
        return;
    const ImageResult image = result.detail.value<ImageResult>();
    record.output = image.outputPath;
    record.inputSize = image.inputSize;
    record.outputSize = image.outputSize;
    record.ms = image.elapsedMs;
    if (result.status == ResultStatus::Skipped)
        record.skipReason = skipReasonOf(image.skip);
}

int workersFor(const CliOptions &options)
{
    return options.workers > 0 ? options.workers : qMax(1, QThread::idealThreadCount());
}

} // namespace

Runner::Runner(CliOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_recipe(std::make_shared<const Recipe>(m_options.recipe))
    , m_progress(ProgressPrinter::styleFor(m_options.quiet))
{}

Runner::~Runner()
{
    if (m_feeder)
        m_feeder->requestStop();
    if (m_pool)
        m_pool->engine().shutdown(QDeadlineTimer(ShutdownDeadlineMs));
    if (m_feeder)
        m_feeder->wait();
}

void Runner::start()
{
    m_clock.start();
    QString error;
    int exitCode = 1;
    if (!openJournal(&error, &exitCode)) {
        printErr(QStringLiteral("sluice-cli: %1\n").arg(error));
        m_done = true;
        emit finished(exitCode);
        return;
    }
    if (!createSink(&error)) {
        printErr(QStringLiteral("sluice-cli: %1\n").arg(error));
        m_done = true;
        emit finished(1);
        return;
    }
    createPool();
    startFeeder();
    m_progress.start();
}

// The journal makes the run resumable after a kill or crash. Refused (exit 1) when another
// process runs the same job, and (exit 2) on --resume with other settings than the earlier run.
bool Runner::openJournal(QString *error, int *exitCode)
{
    if (!m_options.journal || m_options.demo)
        return true;
    JobSpec spec;
    for (const QString &input : std::as_const(m_options.inputs))
        spec.inputs.append(QDir::cleanPath(QFileInfo(input).absoluteFilePath()));
    spec.output = QDir::cleanPath(QFileInfo(m_options.output).absoluteFilePath());
    spec.recipe = *m_recipe;
    spec.shardIndex = m_options.shardIndex;
    spec.shardCount = m_options.shardCount;
    spec.name = QStringLiteral("sluice-cli");
    const bool earlier = QFileInfo::exists(Journal::pathFor(spec));
    const Journal::Mode mode = m_options.resume ? Journal::Mode::Resume : Journal::Mode::Fresh;
    std::unique_ptr<Journal> journal = Journal::open(spec, mode, error);
    if (!journal) {
        if (error->contains(QLatin1String("other settings"))) {
            *exitCode = 2;
            return false;
        }
        if (error->contains(QLatin1String("another sluice")))
            return false;
        // A journal folder that cannot be written must not stop the work itself.
        printErr(QStringLiteral("sluice-cli: warning: %1; running without a journal (a kill "
                                "or crash could not be resumed exactly)\n")
                     .arg(*error));
        error->clear();
        return true;
    }
    m_journal = std::move(journal);
    if (!m_options.quiet) {
        if (m_journal->resumed()) {
            printErr(QStringLiteral("sluice-cli: resuming (run %1 of this job): %2 outputs "
                                    "done earlier are kept%3%4\n")
                         .arg(m_journal->run())
                         .arg(m_journal->previousDone())
                         .arg(m_journal->orphansRemoved() > 0
                                  ? QStringLiteral(", %1 orphan temporary files removed")
                                        .arg(m_journal->orphansRemoved())
                                  : QString())
                         .arg(m_journal->crashedRuns() > 0
                                  ? QStringLiteral(", %1 earlier run(s) crashed")
                                        .arg(m_journal->crashedRuns())
                                  : QString()));
        } else if (m_options.resume) {
            printErr(QStringLiteral("sluice-cli: nothing to resume for these inputs and this "
                                    "output; starting a new run\n"));
        } else if (earlier) {
            printErr(QStringLiteral("sluice-cli: note: an unfinished earlier run of this job "
                                    "was found and is replaced by this one (--resume would "
                                    "have continued it)\n"));
        }
    }
    connect(&m_journalTimer, &QTimer::timeout, this, [this] { m_journal->flushIfDue(); });
    m_journalTimer.start(JournalFlushMs);
    return true;
}

bool Runner::createSink(QString *error)
{
    const QString output = QFileInfo(m_options.output).absoluteFilePath();
    if (!m_options.outputIsZip) {
        m_sink = std::make_unique<FolderSink>(output, *m_recipe);
        return true;
    }
    QDir().mkpath(QFileInfo(output).absolutePath());
    auto zip = std::make_unique<ZipSink>(output, *m_recipe);
    if (!zip->start(error))
        return false;
    m_zip = zip.get();
    m_sink = std::move(zip);
    return true;
}

void Runner::createPool()
{
    PoolConfig config;
    config.workers = workersFor(m_options);
    config.autoWorkers = m_options.autoWorkers;
    config.autoCap = qBound(2, 4 * QThread::idealThreadCount(), 64);
    config.rate = RateLimit{m_options.ratePerSecond, 1.0};
    config.retry.maxAttempts = m_options.retries + 1;
    config.memoryBudgetBytes = MemoryBudgetBytes;
    m_pool = std::make_unique<WorkerPool>(config);
    connect(m_pool.get(), &WorkerPool::resultsReady, this, &Runner::handleResults);
    connect(m_pool.get(), &WorkerPool::batchProgress, this, &Runner::handleProgress);
    connect(m_pool.get(), &WorkerPool::batchFinished, this, &Runner::handleBatchFinished);
    connect(m_pool.get(), &WorkerPool::batchStateChanged, this, &Runner::handleStateChanged);
    connect(&m_diskTimer, &QTimer::timeout, this, &Runner::checkDiskSpace);

    BatchOptions batch;
    batch.name = QStringLiteral("sluice-cli");
    batch.priority = m_options.priority;
    const int workerSlots = m_options.autoWorkers ? config.autoCap : config.workers;
    // Backpressure: the feeder's submit() blocks here, so the scanner stays a little ahead.
    batch.maxQueued = 4 * qint64(workerSlots) + 16;
    m_batch = m_pool->engine().createBatch(batch);
}

void Runner::startFeeder()
{
    FeedSettings settings;
    settings.inputs = m_options.inputs;
    const QString output = QFileInfo(m_options.output).absoluteFilePath();
    settings.excludedPaths = {output};
    if (m_zip)
        settings.excludedPaths.append(m_zip->temporaryPath());
    settings.shardIndex = m_options.shardIndex;
    settings.shardCount = m_options.shardCount;
    m_feeder = std::make_unique<Feeder>(m_pool->engine(), m_batch, m_recipe, *m_sink, m_log,
                                        settings, m_journal);
    connect(m_feeder.get(), &Feeder::scanFinished, this, &Runner::handleScanFinished,
            Qt::QueuedConnection);
    m_feeder->start();
}

void Runner::handleResults(const QVector<TaskResult> &results)
{
    for (const TaskResult &result : results) {
        if (result.batchId != m_batch)
            continue;
        ReportRecord &record = recordFor(result.tag);
        fillFromResult(record, result);
        if (m_journal)
            m_journal->finished(result.tag, result.status, m_zip ? QString() : record.output,
                                record.error);
    }
    if (m_journal)
        m_journal->flushIfDue();
}

// A task found the output disk full: the batch paused itself instead of burning retries. Wait
// for free space and go on; Ctrl-C stops as usual (and --resume continues later).
void Runner::handleStateChanged(BatchId batch, BatchState state)
{
    if (batch != m_batch || m_interrupted || state != BatchState::Paused)
        return;
    const QString reason = m_pool->engine().pauseReason(m_batch);
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
    m_pool->engine().resumeBatch(m_batch);
    m_progress.start();
}

void Runner::handleProgress(BatchId batch, const BatchCounters &counters)
{
    if (batch != m_batch)
        return;
    m_progress.setCounters(counters);
    m_progress.setScanned(m_feeder ? m_feeder->submitted() : 0, m_scanFinished);
}

void Runner::handleScanFinished(qint64 submitted)
{
    m_scanFinished = true;
    m_progress.setScanned(submitted, true);
}

void Runner::handleBatchFinished(const BatchSummary &summary)
{
    // After an interrupt the helper thread's end (handleStopped) finishes the run instead.
    if (summary.id == m_batch && !m_interrupted)
        finish();
}

void Runner::interrupt(int signalNumber, int count)
{
    Q_UNUSED(signalNumber);
    if (m_done)
        return;
    if (count >= 2 || !m_pool)
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
    m_feeder->requestStop();
    PoolEngine *engine = &m_pool->engine();
    Feeder *feeder = m_feeder.get();
    // shutdown() blocks until the deadline; the main thread keeps serving the event loop.
    m_stopper = QThread::create([engine, feeder] {
        engine->shutdown(QDeadlineTimer(ShutdownDeadlineMs));
        feeder->wait(FeederGraceMs);
    });
    m_stopper->setParent(this);
    connect(m_stopper, &QThread::finished, this, &Runner::handleStopped);
    m_stopper->start();
}

void Runner::handleStopped()
{
    m_pool->flush(); // every remaining result, canceled ones included
    finish();
}

void Runner::finish()
{
    if (m_done)
        return;
    m_done = true;
    if (!m_interrupted)
        m_feeder->wait(); // the batch finished, so the feeder has closed it and is returning
    m_progress.stop();
    m_diskTimer.stop();
    collectUnfinished();
    m_sinkFailed = !finishSink();
    if (m_journal) {
        // A run that went through to the end leaves nothing to resume; any other keeps its
        // journal for --resume.
        m_journalTimer.stop();
        m_journal->close(!m_interrupted && !m_sinkFailed);
    }
    const RunSummary summary = makeSummary();
    writeReportFile(summary);
    printFailures();
    printSummary(summary);
    if (m_feeder->isRunning()) {
        // Stuck in a slow directory listing past the grace period: do not wait for it.
        std::fflush(nullptr);
        std::_Exit(summary.exitCode);
    }
    emit finished(summary.exitCode);
}

[[noreturn]] void Runner::exitImmediately()
{
    if (m_zip)
        QFile::remove(m_zip->temporaryPath());
    m_progress.stop();
    collectUnfinished();
    RunSummary summary = makeSummary();
    summary.interrupted = true;
    summary.exitCode = 3;
    writeReportFile(summary);
    if (m_journal)
        m_journal->close(false);
    printErr(QStringLiteral("sluice-cli: stopped at once; images that were running may not "
                            "have been written.\n"));
    std::fflush(nullptr);
    std::_Exit(3);
}

ReportRecord &Runner::recordFor(quint64 tag)
{
    while (quint64(m_records.size()) <= tag) {
        const ItemLog::Entry entry = m_log.at(quint64(m_records.size()));
        ReportRecord record;
        record.source = entry.sourcePath;
        record.entry = entry.entryName;
        record.relativePath = entry.relativePath;
        m_records.append(record);
    }
    return m_records[qsizetype(tag)];
}

// Inputs that were scanned but never ran (an interrupt) are reported as canceled.
void Runner::collectUnfinished()
{
    const qint64 logged = m_log.size();
    if (logged > 0)
        recordFor(quint64(logged - 1));
}

bool Runner::finishSink()
{
    if (!m_zip)
        return true;
    if (m_interrupted) {
        m_zip->abort(); // an archive with only some of the images would look complete
        markDiscarded();
        return true;
    }
    QString error;
    if (m_zip->finish(&error))
        return true;
    printErr(QStringLiteral("sluice-cli: the archive %1 could not be written: %2\n")
                 .arg(m_zip->finalPath(), error));
    return false;
}

// The archive was deleted, so what had been written into it is gone after all.
void Runner::markDiscarded()
{
    for (ReportRecord &r : m_records) {
        if (r.status != ResultStatus::Done)
            continue;
        r.status = ResultStatus::Canceled;
        r.output.clear();
        r.error = QStringLiteral("interrupted: the unfinished archive was discarded");
    }
}

RunSummary Runner::makeSummary() const
{
    RunSummary s;
    s.tally = RunTally::of(m_records);
    s.elapsedMs = m_clock.elapsed();
    s.imagesPerSecond = s.elapsedMs > 0 ? double(s.tally.done) * 1000.0 / double(s.elapsedMs) : 0;
    s.interrupted = m_interrupted;
    s.exitCode = exitCodeFor(s.tally);
    s.output = QFileInfo(m_options.output).absoluteFilePath();
    return s;
}

int Runner::exitCodeFor(const RunTally &tally) const
{
    if (m_interrupted || tally.canceled > 0)
        return 3;
    if (tally.failed > 0 || m_sinkFailed)
        return 1;
    return 0;
}

void Runner::writeReportFile(const RunSummary &summary)
{
    if (m_options.reportPath.isEmpty())
        return;
    QString error;
    if (!writeReport(m_options.reportPath, m_records, summary, &error))
        printErr(QStringLiteral("sluice-cli: cannot write the report %1: %2\n")
                     .arg(m_options.reportPath, error));
}

void Runner::printFailures() const
{
    int shown = 0, failed = 0;
    for (const ReportRecord &r : m_records) {
        if (r.status != ResultStatus::Failed)
            continue;
        if (++failed > FailuresShown)
            continue;
        ++shown;
        printErr(QStringLiteral("sluice-cli: failed: %1: %2 (%3 attempt%4)\n")
                     .arg(printable(r.relativePath.isEmpty() ? r.displayName() : r.relativePath),
                          printable(r.error))
                     .arg(r.attempts)
                     .arg(r.attempts == 1 ? QString() : QStringLiteral("s")));
    }
    if (failed > shown)
        printErr(QStringLiteral("sluice-cli: ... and %1 more failures%2\n")
                     .arg(failed - shown)
                     .arg(m_options.reportPath.isEmpty() ? QStringLiteral(" (use --report)")
                                                         : QStringLiteral(", see the report")));
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
    if (s.tally.done > 0 && !(m_zip && s.interrupted))
        printErr(QStringLiteral("sluice-cli: output: %1\n").arg(s.output));
    if (!m_options.reportPath.isEmpty())
        printErr(QStringLiteral("sluice-cli: report: %1\n")
                     .arg(QFileInfo(m_options.reportPath).absoluteFilePath()));
}

} // namespace sluice::cli
