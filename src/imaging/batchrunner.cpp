#include "batchrunner.h"

#include "foldersink.h"
#include "zipsink.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace sluice {

namespace {

constexpr int JournalFlushMs = 250;

QString cleanAbsolute(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

ItemRecord recordOf(const TaskResult &result)
{
    ItemRecord record;
    record.tag = result.tag;
    record.status = result.status;
    record.attempts = result.attempts;
    record.message = result.message;
    if (!result.detail.canConvert<ImageResult>())
        return record;
    const ImageResult image = result.detail.value<ImageResult>();
    record.outputPath = image.outputPath;
    record.inputSize = image.inputSize;
    record.outputSize = image.outputSize;
    record.ms = image.elapsedMs;
    record.skip = image.skip;
    if (result.status == ResultStatus::Skipped)
        record.message = skipReasonText(image.skip);
    else if (record.message.isEmpty())
        record.message = image.note;
    return record;
}

} // namespace

QString skipReasonText(ImageResult::Skip skip)
{
    switch (skip) {
    case ImageResult::Skip::NotAnImage:
        return BatchRunner::tr("not an image");
    case ImageResult::Skip::UpToDate:
        return BatchRunner::tr("up to date");
    case ImageResult::Skip::OutputExists:
        return BatchRunner::tr("output exists");
    case ImageResult::Skip::DoneBefore:
        return BatchRunner::tr("done in an earlier run");
    case ImageResult::Skip::Hidden:
        return BatchRunner::tr("hidden");
    case ImageResult::Skip::SluiceOutput:
        return BatchRunner::tr("Sluice output");
    case ImageResult::Skip::LinkLoop:
        return BatchRunner::tr("link loop: the linked folder holds the link");
    case ImageResult::Skip::LinkRepeat:
        return BatchRunner::tr("folder already scanned (reached twice through a link)");
    case ImageResult::Skip::None:
        break;
    }
    return {};
}

bool BatchSpec::outputIsZip() const
{
    return output.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive);
}

JobSpec BatchSpec::jobSpec() const
{
    JobSpec job;
    for (const QString &input : inputs)
        job.inputs.append(cleanAbsolute(input));
    job.output = cleanAbsolute(output);
    job.recipe = recipe;
    job.shardIndex = shardIndex;
    job.shardCount = shardCount;
    job.includeRootName = includeRootName;
    job.includeHidden = includeHidden;
    job.name = name;
    return job;
}

BatchRunner::BatchRunner(WorkerPool &pool, BatchSpec spec, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_spec(std::move(spec))
    , m_recipe(std::make_shared<const Recipe>(m_spec.recipe))
    , m_log(std::make_shared<ItemLog>())
{
    for (QString &input : m_spec.inputs)
        input = cleanAbsolute(input);
    m_spec.output = cleanAbsolute(m_spec.output);
}

BatchRunner::~BatchRunner()
{
    if (!m_feeder)
        return;
    m_feeder->requestStop();
    if (m_feeder->isRunning() && !m_pool.engine().isShutDown())
        m_pool.engine().cancelBatch(m_id); // releases a submit() blocked on the queue bound
    m_feeder->wait();
}

bool BatchRunner::start(StartError *error)
{
    Q_ASSERT(m_id == 0);
    if (!openJournal(error))
        return false;
    if (!createSink(error)) {
        closeJournal(true); // nothing ran: nothing to resume
        return false;
    }
    BatchOptions options;
    options.name = m_spec.name;
    options.priority = m_spec.priority;
    options.maxQueued = m_spec.maxQueued;
    m_id = m_pool.engine().createBatch(options);
    if (m_id == 0) {
        if (m_zip)
            m_zip->abort();
        closeJournal(false);
        if (error)
            *error = {StartError::Kind::PoolClosed, tr("the pool takes no new batches")};
        return false;
    }
    connect(&m_pool, &WorkerPool::resultsReady, this, &BatchRunner::handleResults);
    connect(&m_pool, &WorkerPool::batchFinished, this, &BatchRunner::handleBatchFinished);
    connect(&m_pool, &WorkerPool::batchProgress, this,
            [this](BatchId batch, const BatchCounters &counters) {
                if (batch == m_id)
                    emit progressChanged(batch, counters);
            });
    m_active = true;
    m_scanning = true;
    QStringList excluded{m_spec.output};
    if (m_zip)
        excluded << m_zip->temporaryPath();
    startFeeder(excluded);
    return true;
}

// The journal makes the batch resumable after a kill or crash. Refused when another process
// runs the same job, and on Resume with other settings than the earlier run; a journal folder
// that cannot be written does not stop the work itself.
bool BatchRunner::openJournal(StartError *error)
{
    if (m_spec.journaling == BatchSpec::Journaling::None || m_spec.journalDirectory.isEmpty())
        return true;
    const JobSpec job = m_spec.jobSpec();
    const bool resume = m_spec.journaling == BatchSpec::Journaling::Resume;
    m_replacedEarlier =
        !resume && QFileInfo::exists(Journal::pathFor(job, m_spec.journalDirectory));
    JournalError why;
    m_journal = Journal::open(job, resume ? Journal::Mode::Resume : Journal::Mode::Fresh, &why,
                              m_spec.journalDirectory);
    if (m_journal) {
        connect(&m_journalTimer, &QTimer::timeout, this, [this] {
            if (m_journal)
                m_journal->flushIfDue();
        });
        m_journalTimer.start(JournalFlushMs);
        return true;
    }
    m_replacedEarlier = false;
    switch (why.kind) {
    case JournalError::Kind::Busy:
        if (error)
            *error = {StartError::Kind::JournalBusy, why.message};
        return false;
    case JournalError::Kind::OtherSettings:
        if (error)
            *error = {StartError::Kind::JournalOtherSettings, why.message};
        return false;
    case JournalError::Kind::Unusable:
    case JournalError::Kind::None:
        break;
    }
    m_journalWarning = why.message;
    return true;
}

bool BatchRunner::createSink(StartError *error)
{
    if (!m_spec.outputIsZip()) {
        m_sink = std::make_shared<FolderSink>(m_spec.output, *m_recipe);
        return true;
    }
    QDir().mkpath(QFileInfo(m_spec.output).absolutePath());
    auto zip = std::make_shared<ZipSink>(m_spec.output, *m_recipe);
    QString why;
    if (!zip->start(&why)) {
        if (error)
            *error = {StartError::Kind::OutputUnusable, why};
        return false;
    }
    m_zip = zip.get();
    m_sink = std::move(zip);
    return true;
}

void BatchRunner::startFeeder(QStringList excluded)
{
    FeedPlan plan;
    plan.inputs = m_spec.inputs;
    plan.items = m_spec.items;
    plan.excludedPaths = std::move(excluded);
    plan.includeRootName = m_spec.includeRootName;
    plan.includeHidden = m_spec.includeHidden;
    plan.shardIndex = m_spec.shardIndex;
    plan.shardCount = m_spec.shardCount;
    m_feeder = std::make_unique<BatchFeeder>(m_pool.engine(), m_id, m_recipe, m_sink, m_log,
                                             std::move(plan), m_journal, m_spec.hook);
    connect(m_feeder.get(), &BatchFeeder::scanFinished, this, &BatchRunner::handleScanFinished,
            Qt::QueuedConnection);
    m_feeder->start();
}

qint64 BatchRunner::submitted() const
{
    return m_feeder ? m_feeder->submitted() : 0;
}

qint64 BatchRunner::outOfShard() const
{
    return m_feeder ? m_feeder->outOfShard() : 0;
}

void BatchRunner::requestStop()
{
    m_stopping = true;
    if (m_feeder)
        m_feeder->requestStop();
}

void BatchRunner::cancel()
{
    if (m_feeder)
        m_feeder->requestStop();
    if (m_id != 0)
        m_pool.engine().cancelBatch(m_id);
}

void BatchRunner::handleResults(const QVector<TaskResult> &results)
{
    const int first = int(m_items.size());
    for (const TaskResult &result : results) {
        if (result.batchId != m_id)
            continue;
        m_items.append(recordOf(result));
        const ItemRecord &record = m_items.constLast();
        if (result.status == ResultStatus::Failed)
            m_failedTags.append(result.tag);
        if (m_journal)
            m_journal->finished(result.tag, result.status, m_zip ? QString() : record.outputPath,
                                result.status == ResultStatus::Failed ? result.message : QString());
    }
    if (m_items.size() == first)
        return;
    if (m_journal)
        m_journal->flushIfDue();
    emit itemsFinished(m_id, first, int(m_items.size()) - first);
}

void BatchRunner::handleScanFinished(BatchId batch, qint64 submitted)
{
    m_scanning = false;
    emit scanFinished(batch, submitted);
}

void BatchRunner::handleBatchFinished(const BatchSummary &summary)
{
    if (summary.id != m_id || !m_active)
        return;
    m_active = false;
    const bool ok = closeOutput(summary.state == BatchState::Finished && !m_stopping);
    // Finished, or canceled by the user: nothing to resume. Stopped: resumable. An archive that
    // could not be written: resumable too (its images are not anywhere).
    closeJournal(!m_stopping && m_outputError.isEmpty());
    emit outputClosed(m_id, ok, m_outputError);
}

void BatchRunner::closeAfterShutdown()
{
    m_stopping = true;
    const bool wasActive = m_active;
    m_active = false;
    if (wasActive)
        closeOutput(false);
    closeJournal(false); // left unfinished: offered for resuming
    if (wasActive)
        emit outputClosed(m_id, false, QString());
}

// A ZIP holding only some of the images would look complete: anything but a complete batch
// discards it. True when the output is complete.
bool BatchRunner::closeOutput(bool complete)
{
    if (!m_zip)
        return complete;
    if (!complete) {
        m_zip->abort();
        m_outputDiscarded = true;
        return false;
    }
    QString error;
    if (m_zip->finish(&error))
        return true;
    m_outputError = error.isEmpty() ? tr("the archive could not be written") : error;
    return false;
}

void BatchRunner::closeJournal(bool completed)
{
    if (!m_journal)
        return;
    m_journalTimer.stop();
    m_journal->close(completed);
    m_journal.reset(); // tasks abandoned after a deadline may still hold it: they outlive us
}

void BatchRunner::closeAtOnce()
{
    m_stopping = true;
    if (m_zip && m_active)
        QFile::remove(m_zip->temporaryPath());
    closeJournal(false);
}

bool BatchRunner::waitForFeeder(QDeadlineTimer deadline)
{
    if (!m_feeder || m_feeder->wait(deadline))
        return true;
    Q_UNUSED(m_feeder.release()); // deliberately leaked, see the header
    return false;
}

} // namespace sluice
