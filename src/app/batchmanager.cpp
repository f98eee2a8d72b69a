#include "batchmanager.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <foldersink.h>
#include <imagejob.h>
#include <zipsink.h>

namespace sluice::app {

namespace {

constexpr int DestructorDeadlineMs = 5000;
constexpr int FeederGraceMs = 2000;
constexpr int JournalFlushMs = 250;

QString skipReasonOf(const ImageResult &image)
{
    switch (image.skip) {
    case ImageResult::Skip::NotAnImage:
        return BatchManager::tr("not an image");
    case ImageResult::Skip::UpToDate:
        return BatchManager::tr("up to date");
    case ImageResult::Skip::OutputExists:
        return BatchManager::tr("output exists");
    case ImageResult::Skip::DoneBefore:
        return BatchManager::tr("done in an earlier run");
    case ImageResult::Skip::None:
        break;
    }
    return {};
}

ItemRecord recordOf(const TaskResult &result)
{
    ItemRecord record;
    record.tag = result.tag;
    record.status = result.status;
    record.attempts = result.attempts;
    record.message = result.message;
    if (result.detail.canConvert<ImageResult>()) {
        const ImageResult image = result.detail.value<ImageResult>();
        record.outputPath = image.outputPath;
        if (result.status == ResultStatus::Skipped)
            record.message = skipReasonOf(image);
    }
    return record;
}

int workerSlotsOf(const PoolConfig &config)
{
    return config.autoWorkers ? config.autoCap : config.workers;
}

} // namespace

BatchManager::BatchManager(const PoolConfig &config, QObject *parent)
    : QObject(parent)
    , m_pool(std::make_unique<WorkerPool>(config))
    // Backpressure: a feeder's submit() blocks here, so its scanner stays a little ahead.
    , m_maxQueued(4 * qint64(workerSlotsOf(config)) + 16)
{
    connect(m_pool.get(), &WorkerPool::resultsReady, this, &BatchManager::handleResults);
    connect(m_pool.get(), &WorkerPool::batchFinished, this, &BatchManager::handleBatchFinished);
    connect(&m_journalTimer, &QTimer::timeout, this, &BatchManager::flushJournals);
    m_journalTimer.start(JournalFlushMs);
}

BatchManager::~BatchManager()
{
    stopFeeders();
    if (m_pool && !m_pool->engine().isShutDown())
        m_pool->engine().shutdown(QDeadlineTimer(DestructorDeadlineMs));
    waitForFeeders();
}

BatchId BatchManager::addBatch(const QStringList &inputs, const RecipeSettings &settings,
                               Priority priority, QString *error)
{
    if (inputs.isEmpty())
        return 0;
    FeedPlan plan;
    for (const QString &input : inputs)
        plan.inputs << QFileInfo(input).absoluteFilePath();
    plan.includeRootName = inputs.size() > 1; // one root: no extra folder level in the output
    // Computed before the call: `plan` is moved into a by-value parameter.
    const QString output = outputPathFor(plan.inputs, settings.output);
    return startBatch(batchNameFor(inputs), priority, settings, output, std::move(plan), error,
                      Journaling::Fresh);
}

QList<Journal::Summary> BatchManager::unfinishedJobs() const
{
    return m_journalDirectory.isEmpty() ? QList<Journal::Summary>()
                                        : Journal::unfinished(m_journalDirectory);
}

BatchId BatchManager::resumeJob(const Journal::Summary &job, QString *error)
{
    FeedPlan plan;
    plan.inputs = job.spec.inputs;
    plan.includeRootName = job.spec.includeRootName;
    RecipeSettings settings;
    settings.recipe = job.spec.recipe;
    settings.output.zip = job.spec.outputIsZip();
    settings.output.folder = QFileInfo(job.spec.output).absolutePath();
    const QString name = job.spec.name.isEmpty() ? batchNameFor(job.spec.inputs) : job.spec.name;
    return startBatch(name, Priority::Normal, settings, job.spec.output, std::move(plan), error,
                      Journaling::Resume);
}

bool BatchManager::discardJob(const Journal::Summary &job)
{
    if (!Journal::discard(job.path))
        return false;
    // A killed ZIP batch leaves its unfinished archive behind (ZipSink's "<name>.part").
    if (job.spec.outputIsZip())
        QFile::remove(ZipSink::temporaryPathFor(job.spec.output));
    return true;
}

BatchId BatchManager::retryFailed(BatchId id, QString *error)
{
    const Batch *batch = find(id);
    if (!batch || batch->failedTags.isEmpty())
        return 0;
    FeedPlan plan;
    for (quint64 tag : batch->failedTags)
        plan.items.push_back(batch->log->at(tag));
    const RecipeSettings settings{*batch->recipe, batch->outputChoice};
    const QString output = batch->zip ? retryZipPathFor(batch->output) : batch->output;
    return startBatch(tr("%1 (retry)").arg(batch->name), batch->priority, settings, output,
                      std::move(plan), error);
}

BatchId BatchManager::startBatch(const QString &name, Priority priority,
                                 const RecipeSettings &settings, const QString &output,
                                 FeedPlan plan, QString *error, Journaling journaling)
{
    if (m_shuttingDown)
        return 0;
    Batch batch;
    batch.name = name;
    batch.priority = priority;
    batch.output = output;
    batch.recipe = std::make_shared<const Recipe>(settings.recipe);
    batch.outputChoice = settings.output;
    batch.log = std::make_shared<ItemLog>();
    if (journaling != Journaling::None && !m_journalDirectory.isEmpty()) {
        JobSpec spec;
        spec.inputs = plan.inputs;
        spec.output = output;
        spec.recipe = settings.recipe;
        spec.includeRootName = plan.includeRootName;
        spec.name = name;
        QString why;
        batch.journal = Journal::open(
            spec, journaling == Journaling::Resume ? Journal::Mode::Resume : Journal::Mode::Fresh,
            &why, m_journalDirectory);
        if (!batch.journal &&
            (journaling == Journaling::Resume || why.contains(QLatin1String("another sluice")))) {
            if (error)
                *error = why;
            return 0;
        }
        if (!batch.journal) // the work itself need not stop for a journal folder
            qWarning("sluice: %s; this batch keeps no journal", qPrintable(why));
    }
    if (!createSink(batch, error)) {
        closeJournal(batch, true);
        return 0;
    }
    BatchOptions options;
    options.name = name;
    options.priority = priority;
    options.maxQueued = m_maxQueued;
    const BatchId id = m_pool->engine().createBatch(options);
    if (id == 0)
        return 0;
    plan.excludedPaths = {output};
    if (batch.zip)
        plan.excludedPaths << batch.zip->temporaryPath();
    batch.feeder = std::make_unique<BatchFeeder>(m_pool->engine(), id, batch.recipe, batch.sink,
                                                 batch.log, std::move(plan), batch.journal, m_hook);
    connect(batch.feeder.get(), &BatchFeeder::scanFinished, this, &BatchManager::handleScanFinished,
            Qt::QueuedConnection);
    Batch &stored = m_batches.emplace(id, std::move(batch)).first->second;
    emit batchAdded(id);
    stored.feeder->start();
    return id;
}

bool BatchManager::createSink(Batch &batch, QString *error)
{
    if (!batch.outputChoice.zip) {
        batch.sink = std::make_shared<FolderSink>(batch.output, *batch.recipe);
        return true;
    }
    QDir().mkpath(QFileInfo(batch.output).absolutePath());
    auto zip = std::make_shared<ZipSink>(batch.output, *batch.recipe);
    if (!zip->start(error))
        return false;
    batch.zip = zip.get();
    batch.sink = std::move(zip);
    return true;
}

void BatchManager::pause(BatchId batch)
{
    m_pool->engine().pauseBatch(batch);
}

void BatchManager::resume(BatchId batch)
{
    m_pool->engine().resumeBatch(batch);
}

void BatchManager::cancel(BatchId id)
{
    if (Batch *batch = find(id))
        batch->feeder->requestStop();
    m_pool->engine().cancelBatch(id);
}

void BatchManager::setPriority(BatchId id, Priority priority)
{
    Batch *batch = find(id);
    if (!batch || !batch->active || !m_pool->engine().setPriority(id, priority))
        return;
    batch->priority = priority;
    emit priorityChanged(id, priority);
}

bool BatchManager::remove(BatchId id)
{
    Batch *batch = find(id);
    if (!batch || batch->active)
        return false;
    batch->feeder->wait(); // it closed the batch long ago; this returns at once
    m_pool->engine().removeBatch(id);
    m_batches.erase(id);
    emit batchRemoved(id);
    return true;
}

void BatchManager::pauseAll()
{
    m_pool->engine().pauseAll();
}

// "Resume all" in the window means every batch, also those paused one by one (the engine's
// resumeAll() only lifts the global pause).
void BatchManager::resumeAll()
{
    PoolEngine &engine = m_pool->engine();
    engine.resumeAll();
    for (BatchId id : engine.batches())
        engine.resumeBatch(id);
}

void BatchManager::cancelAll()
{
    stopFeeders();
    m_pool->engine().cancelAll();
}

QString BatchManager::name(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->name : QString();
}

Priority BatchManager::priority(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->priority : Priority::Normal;
}

QString BatchManager::outputPath(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->output : QString();
}

bool BatchManager::isZipOutput(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->zip;
}

bool BatchManager::isScanning(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->scanning;
}

bool BatchManager::isActive(BatchId id) const
{
    const Batch *batch = find(id);
    return batch && batch->active;
}

bool BatchManager::hasActiveBatches() const
{
    for (const auto &entry : m_batches) {
        if (entry.second.active)
            return true;
    }
    return false;
}

qint64 BatchManager::failedCount(BatchId id) const
{
    const Batch *batch = find(id);
    return batch ? batch->failedTags.size() : 0;
}

const QVector<ItemRecord> &BatchManager::items(BatchId id) const
{
    static const QVector<ItemRecord> none;
    const Batch *batch = find(id);
    return batch ? batch->items : none;
}

InputItem BatchManager::inputOf(BatchId id, quint64 tag) const
{
    const Batch *batch = find(id);
    return batch ? batch->log->at(tag) : InputItem{};
}

void BatchManager::handleResults(const QVector<TaskResult> &results)
{
    // Results come grouped by nothing in particular: collect per batch, then announce.
    QHash<BatchId, int> firstNew;
    for (const TaskResult &result : results) {
        Batch *batch = find(result.batchId);
        if (!batch)
            continue;
        if (!firstNew.contains(result.batchId))
            firstNew.insert(result.batchId, int(batch->items.size()));
        batch->items.append(recordOf(result));
        if (result.status == ResultStatus::Failed)
            batch->failedTags.append(result.tag);
        if (batch->journal)
            batch->journal->finished(
                result.tag, result.status, batch->zip ? QString() : batch->items.last().outputPath,
                result.status == ResultStatus::Failed ? result.message : QString());
    }
    for (auto it = firstNew.cbegin(); it != firstNew.cend(); ++it)
        emit itemsAdded(it.key(), it.value(), int(find(it.key())->items.size()) - it.value());
}

void BatchManager::handleScanFinished(BatchId id, qint64 submitted)
{
    if (Batch *batch = find(id)) {
        batch->scanning = false;
        emit scanFinished(id, submitted);
    }
}

void BatchManager::handleBatchFinished(const BatchSummary &summary)
{
    Batch *batch = find(summary.id);
    if (!batch || !batch->active)
        return;
    batch->active = false;
    closeOutput(summary.id, *batch, summary.state == BatchState::Finished && !m_shuttingDown);
    // Finished, or canceled by the user: nothing to resume. Canceled by a shutdown: resumable.
    closeJournal(*batch, !m_shuttingDown);
}

void BatchManager::closeJournal(Batch &batch, bool completed)
{
    if (!batch.journal)
        return;
    batch.journal->close(completed);
    batch.journal.reset(); // tasks abandoned after a deadline may still hold it: they outlive
}

void BatchManager::flushJournals()
{
    for (auto &entry : m_batches) {
        if (entry.second.journal)
            entry.second.journal->flushIfDue();
    }
}

// A ZIP holding only some of the images would look complete: a canceled batch discards it.
void BatchManager::closeOutput(BatchId id, Batch &batch, bool complete)
{
    QString error;
    bool ok = true;
    if (batch.zip && complete)
        ok = batch.zip->finish(&error);
    else if (batch.zip)
        batch.zip->abort();
    emit outputClosed(id, ok && complete, error);
}

void BatchManager::beginShutdown(int timeoutMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    stopFeeders();
    PoolEngine *engine = &m_pool->engine();
    const QDeadlineTimer deadline(timeoutMs);
    // shutdown() blocks until the deadline; the GUI thread keeps serving the event loop.
    QThread *stopper = QThread::create([engine, deadline] { engine->shutdown(deadline); });
    stopper->setParent(this);
    connect(stopper, &QThread::finished, this, [this, stopper] {
        stopper->deleteLater();
        handleShutdownDone(m_pool->engine().lastShutdownReport().stoppedInTime);
    });
    stopper->start();
}

void BatchManager::handleShutdownDone(bool inTime)
{
    m_pool->flush(); // every remaining result and finished batch, canceled ones included
    for (auto &entry : m_batches) {
        if (entry.second.active) {
            entry.second.active = false;
            closeOutput(entry.first, entry.second, false);
        }
        closeJournal(entry.second, false); // left unfinished: offered at the next start
    }
    waitForFeeders();
    emit shutdownFinished(inTime);
}

void BatchManager::stopFeeders()
{
    for (auto &entry : m_batches) {
        if (entry.second.feeder) // null once left behind by waitForFeeders()
            entry.second.feeder->requestStop();
    }
}

// Feeders return once the pool refuses their submit (shut down or canceled) or the scanner
// finishes the directory it is reading. A scan stuck in the kernel (a hung network share) is not
// waited for past FeederGraceMs: its thread object, and the pool it may still call, are left
// alive on purpose (destroying a running QThread aborts), so closing never hangs on it.
void BatchManager::waitForFeeders()
{
    const QDeadlineTimer grace(FeederGraceMs);
    bool allStopped = true;
    for (auto &entry : m_batches) {
        if (entry.second.feeder && !entry.second.feeder->wait(grace)) {
            qWarning("sluice: an input scan is stuck (unresponsive file system?); not waiting");
            Q_UNUSED(entry.second.feeder.release()); // deliberately leaked, see above
            allStopped = false;
        }
    }
    if (!allStopped)
        Q_UNUSED(m_pool.release()); // a stuck feeder may still call submit(): keep it valid
}

BatchManager::Batch *BatchManager::find(BatchId batch)
{
    const auto it = m_batches.find(batch);
    return it == m_batches.end() ? nullptr : &it->second;
}

const BatchManager::Batch *BatchManager::find(BatchId batch) const
{
    const auto it = m_batches.find(batch);
    return it == m_batches.end() ? nullptr : &it->second;
}

} // namespace sluice::app
