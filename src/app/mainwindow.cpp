#include "mainwindow.h"

#include "batchmanager.h"
#include "batchmodel.h"
#include "closedialog.h"
#include "droparea.h"
#include "itemsmodel.h"
#include "presetstore.h"
#include "progressdelegate.h"
#include "recipepanel.h"
#include "throughputgraph.h"
#include "ui_mainwindow.h"

#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QUrl>
#include <poolsetup.h>

namespace sluice::app {

namespace {

const QString WorkersKey = QStringLiteral("pool/workers"); // 0: Auto
const QString RateKey = QStringLiteral("pool/rate");       // images/s, 0: unlimited
const QString TimeoutKey = QStringLiteral("shutdownTimeoutSeconds");
constexpr int DefaultShutdownTimeoutSeconds = 10;

PoolConfig poolConfigFrom(const QSettings &settings)
{
    return recommendedPoolConfig(qMin(settings.value(WorkersKey, 0).toInt(), MaxWorkers),
                                 settings.value(RateKey, 0.0).toDouble(), DefaultRetries);
}

Priority raised(Priority p, int step)
{
    return Priority(qBound(int(Priority::Low), int(p) + step, int(Priority::High)));
}

} // namespace

MainWindow::MainWindow(QSettings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_settings(settings)
    , m_presets(std::make_unique<PresetStore>(settings))
    , m_manager(std::make_unique<BatchManager>(poolConfigFrom(settings)))
{
    m_ui->setupUi(this);
    m_recipePanel = new RecipePanel(*m_presets, m_ui->recipeBox);
    m_ui->recipeLayout->addWidget(m_recipePanel);
    m_ui->recipeLayout->addStretch();
    setUpViews();
    setUpPoolControls();
    setUpStatusBar();
    connectActions();
    updateActions();
    // "journal/directory" moves the journals (tests); empty turns them off.
    m_manager->setJournalDirectory(
        settings.value(QStringLiteral("journal/directory"), Journal::defaultDirectory())
            .toString());
    QTimer::singleShot(0, this, &MainWindow::offerUnfinishedJobs);
}

void MainWindow::offerUnfinishedJobs()
{
    const QList<Journal::Summary> jobs = m_manager->unfinishedJobs();
    if (jobs.isEmpty())
        return;
    QStringList lines;
    for (const Journal::Summary &job : jobs) {
        const QString done = job.finishedItems == 1 ? tr("1 image done")
                                                    : tr("%1 images done").arg(job.finishedItems);
        lines << tr("%1 → %2: %3%4, last run %5")
                     .arg(job.spec.name.isEmpty() ? batchNameFor(job.spec.inputs) : job.spec.name,
                          QDir::toNativeSeparators(job.spec.output), done,
                          job.crashed ? tr(", stopped unexpectedly") : QString(),
                          QLocale().toString(job.lastRun, QLocale::ShortFormat));
    }
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Resume unfinished batches?"),
        (jobs.size() == 1 ? tr("A batch did not finish last time.")
                          : tr("%1 batches did not finish last time.").arg(jobs.size())) +
            QLatin1Char(' ') + tr("Resume? What is already done is kept and not redone."),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("resumeDialog"));
    box->setInformativeText(lines.join(QLatin1Char('\n')));
    QPushButton *resume = box->addButton(tr("&Resume"), QMessageBox::AcceptRole);
    QPushButton *discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box->addButton(tr("&Later"), QMessageBox::RejectRole);
    resume->setObjectName(QStringLiteral("resumeButton"));
    discard->setObjectName(QStringLiteral("discardButton"));
    box->setDefaultButton(resume);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, resume, discard, jobs] {
        QStringList problems;
        for (const Journal::Summary &job : jobs) {
            QString error;
            if (box->clickedButton() == resume) {
                if (m_manager->resumeJob(job, &error) == 0)
                    problems << error;
            } else if (box->clickedButton() == discard) {
                m_manager->discardJob(job);
            }
        }
        if (!problems.isEmpty())
            QMessageBox::warning(this, tr("Cannot resume"), problems.join(QLatin1Char('\n')));
    });
    box->open();
}

MainWindow::~MainWindow() = default;

DropArea *MainWindow::dropArea() const
{
    return m_ui->dropArea;
}

void MainWindow::setUpViews()
{
    m_batchModel = new BatchModel(m_manager.get(), this);
    m_itemsModel = new ItemsModel(m_manager.get(), this);
    QTableView *batches = m_ui->batchView;
    batches->setModel(m_batchModel);
    batches->setItemDelegateForColumn(BatchModel::ProgressColumn, new ProgressDelegate(batches));
    QHeaderView *header = batches->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(BatchModel::NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(BatchModel::ProgressColumn, QHeaderView::Interactive);
    header->resizeSection(BatchModel::ProgressColumn, 170);
    m_ui->itemView->setModel(m_itemsModel);
    m_ui->itemView->horizontalHeader()->setSectionResizeMode(ItemsModel::DetailColumn,
                                                             QHeaderView::Stretch);
    m_ui->itemView->horizontalHeader()->resizeSection(ItemsModel::NameColumn, 240);
    m_ui->itemView->verticalHeader()->setDefaultSectionSize(ItemsModel::ThumbnailSide + 4);
    m_ui->itemView->setIconSize(QSize(ItemsModel::ThumbnailSide, ItemsModel::ThumbnailSide));
    m_ui->batchSplitter->setSizes({110, 260, 40, 280});
    m_ui->mainSplitter->setSizes({820, 440});
    batches->addActions({m_ui->actionPause, m_ui->actionResume, m_ui->actionCancel,
                         m_ui->actionPriorityUp, m_ui->actionPriorityDown, m_ui->actionRetryFailed,
                         m_ui->actionOpenOutput, m_ui->actionRemove});
    connect(batches->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        showSelectedItems();
        showSelectedDetail();
        updateActions();
    });
    connect(m_batchModel, &QAbstractItemModel::dataChanged, this, &MainWindow::updateActions);
    connect(m_batchModel, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last) {
                const int column = BatchModel::StateColumn;
                if (first.column() <= column && column <= last.column())
                    showSelectedDetail();
            });
    showSelectedDetail();
    connect(m_batchModel, &BatchModel::totalsChanged, this, &MainWindow::updateStatus);
    connect(m_recipePanel, &RecipePanel::settingsChanged, this,
            [this] { m_presets->setCurrent(m_recipePanel->settings()); });
    connect(m_ui->dropArea, &DropArea::pathsDropped, this, &MainWindow::addInputs);
    connect(m_manager.get(), &BatchManager::outputClosed, this,
            [this](BatchId batch, bool, const QString &error) {
                updateActions(); // the batch is no longer active: it can be removed now
                if (!error.isEmpty())
                    statusBar()->showMessage(tr("%1: the archive could not be written: %2")
                                                 .arg(m_manager->name(batch), error));
            });
}

void MainWindow::setUpPoolControls()
{
    QToolBar *bar = m_ui->poolToolBar;
    m_workers = new QSpinBox(bar);
    m_workers->setObjectName(QStringLiteral("workersSpinBox"));
    m_workers->setRange(0, MaxWorkers);
    m_workers->setSpecialValueText(tr("Auto"));
    m_workers->setAccessibleName(tr("Workers"));
    m_workers->setValue(m_settings.value(WorkersKey, 0).toInt());
    m_rate = new QDoubleSpinBox(bar);
    m_rate->setObjectName(QStringLiteral("rateSpinBox"));
    m_rate->setRange(0, 10000);
    m_rate->setDecimals(1);
    m_rate->setSuffix(tr(" images/s"));
    m_rate->setSpecialValueText(tr("Unlimited"));
    m_rate->setAccessibleName(tr("Rate limit"));
    m_rate->setValue(m_settings.value(RateKey, 0.0).toDouble());
    auto *workersLabel = new QLabel(tr("&Workers:"), bar);
    workersLabel->setBuddy(m_workers);
    auto *rateLabel = new QLabel(tr(" &Rate limit:"), bar);
    rateLabel->setBuddy(m_rate);
    bar->addWidget(workersLabel);
    bar->addWidget(m_workers);
    bar->addWidget(rateLabel);
    bar->addWidget(m_rate);
    connect(m_workers, &QSpinBox::valueChanged, this, &MainWindow::applyWorkers);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &MainWindow::applyRate);
}

void MainWindow::setUpStatusBar()
{
    m_overall = new QProgressBar(this);
    m_overall->setAccessibleName(tr("Overall progress"));
    m_overall->setMaximumWidth(240);
    m_overall->setFormat(tr("%v of %m"));
    m_throughput = new QLabel(this);
    m_throughput->setAccessibleName(tr("Throughput"));
    auto *graph = new ThroughputGraph(this);
    m_pausedAll = new QLabel(BatchModel::pausedAllReason(), this);
    m_pausedAll->setObjectName(QStringLiteral("pausedAllNotice"));
    m_pausedAll->setVisible(m_manager->isPausedAll());
    statusBar()->addWidget(m_pausedAll);
    connect(m_manager.get(), &BatchManager::pausedAllChanged, m_pausedAll, &QLabel::setVisible);
    statusBar()->addPermanentWidget(m_throughput);
    statusBar()->addPermanentWidget(graph);
    statusBar()->addPermanentWidget(m_overall);
    connect(&m_manager->pool(), &WorkerPool::statsUpdated, this, &MainWindow::showStats);
    connect(&m_manager->pool(), &WorkerPool::statsUpdated, graph, &ThroughputGraph::addStats);
    updateStatus();
}

void MainWindow::connectActions()
{
    connect(m_ui->actionAddFiles, &QAction::triggered, this, &MainWindow::addFiles);
    connect(m_ui->actionAddFolder, &QAction::triggered, this, &MainWindow::addFolder);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionPause, &QAction::triggered, this, &MainWindow::pauseSelected);
    connect(m_ui->actionResume, &QAction::triggered, this, &MainWindow::resumeSelected);
    connect(m_ui->actionCancel, &QAction::triggered, this, &MainWindow::cancelSelected);
    connect(m_ui->actionPriorityUp, &QAction::triggered, this,
            [this] { changeSelectedPriority(+1); });
    connect(m_ui->actionPriorityDown, &QAction::triggered, this,
            [this] { changeSelectedPriority(-1); });
    connect(m_ui->actionRetryFailed, &QAction::triggered, this, &MainWindow::retrySelected);
    connect(m_ui->actionOpenOutput, &QAction::triggered, this, &MainWindow::openSelectedOutput);
    connect(m_ui->actionRemove, &QAction::triggered, this, &MainWindow::removeSelected);
    connect(m_ui->actionPauseAll, &QAction::triggered, m_manager.get(), &BatchManager::pauseAll);
    connect(m_ui->actionResumeAll, &QAction::triggered, m_manager.get(), &BatchManager::resumeAll);
    connect(m_ui->actionCancelAll, &QAction::triggered, m_manager.get(), &BatchManager::cancelAll);
}

BatchId MainWindow::addInputs(const QStringList &paths)
{
    if (paths.isEmpty())
        return 0;
    QString error;
    const BatchId batch =
        m_manager->addBatch(paths, m_recipePanel->settings(), Priority::Normal, &error);
    if (batch == 0 && !m_manager->isShuttingDown())
        QMessageBox::warning(this, tr("Cannot queue the batch"),
                             error.isEmpty() ? tr("The batch could not be created.") : error);
    if (batch != 0 && selectedBatch() == 0)
        selectBatch(batch);
    return batch;
}

void MainWindow::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add images or archives"), QString(),
        tr("Images and ZIP archives (*.jpg *.jpeg *.png *.webp *.heic *.heif *.avif *.jxl *.bmp "
           "*.tif *.tiff *.gif *.zip);;All files (*)"));
    addInputs(files);
}

void MainWindow::addFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder"));
    if (!folder.isEmpty())
        addInputs({folder});
}

BatchId MainWindow::selectedBatch() const
{
    const QModelIndexList rows = m_ui->batchView->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_batchModel->batchAt(rows.first().row());
}

void MainWindow::selectBatch(BatchId batch)
{
    const int row = m_batchModel->rowOf(batch);
    if (row >= 0)
        m_ui->batchView->selectRow(row);
}

void MainWindow::pauseSelected()
{
    m_manager->pause(selectedBatch());
}

void MainWindow::resumeSelected()
{
    m_manager->resume(selectedBatch());
}

void MainWindow::cancelSelected()
{
    m_manager->cancel(selectedBatch());
}

void MainWindow::changeSelectedPriority(int step)
{
    const BatchId batch = selectedBatch();
    m_manager->setPriority(batch, raised(m_manager->priority(batch), step));
}

void MainWindow::retrySelected()
{
    QString error;
    const BatchId retry = m_manager->retryFailed(selectedBatch(), &error);
    if (retry == 0 && !error.isEmpty())
        QMessageBox::warning(this, tr("Cannot retry"), error);
}

void MainWindow::openSelectedOutput()
{
    const BatchId batch = selectedBatch();
    const QString output = m_manager->outputPath(batch);
    const QString folder = m_manager->isZipOutput(batch) || !QFileInfo(output).isDir()
                               ? QFileInfo(output).absolutePath()
                               : output;
    const bool opened = m_openFolder ? m_openFolder(QUrl::fromLocalFile(folder))
                                     : QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    if (!opened)
        offerToCopyPath(QDir::toNativeSeparators(folder));
}

void MainWindow::setFolderOpener(std::function<bool(const QUrl &)> opener)
{
    m_openFolder = std::move(opener);
}

// No file manager took the folder (none installed, or none registered for folders): say so,
// and offer the path for a terminal or another program. Non-blocking, "noFileManagerDialog".
void MainWindow::offerToCopyPath(const QString &folder)
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("Open Output Folder"),
                                tr("No file manager could open the output folder:\n%1").arg(folder),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("noFileManagerDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *copy = box->addButton(tr("&Copy Path"), QMessageBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyPathButton"));
    connect(copy, &QPushButton::clicked, this,
            [folder] { QGuiApplication::clipboard()->setText(folder); });
    box->open();
}

// The line under the batches: where the selected batch writes, and why it paused when a task
// paused it (the State column says only "Paused: disk full").
void MainWindow::showSelectedDetail()
{
    const BatchId batch = selectedBatch();
    if (batch == 0) {
        m_ui->batchDetail->setText(tr("Select a batch to see where its outputs go."));
        return;
    }
    QString text = tr("Output: %1").arg(QDir::toNativeSeparators(m_manager->outputPath(batch)));
    const QModelIndexList rows =
        m_batchModel->match(m_batchModel->index(0, 0), BatchModel::BatchIdRole,
                            QVariant::fromValue(batch), 1, Qt::MatchExactly);
    const QString reason =
        rows.isEmpty() ? QString() : rows.first().data(BatchModel::PauseReasonRole).toString();
    if (!reason.isEmpty())
        text += QLatin1Char('\n') + BatchModel::pausedBecause(reason);
    m_ui->batchDetail->setText(text);
}

void MainWindow::removeSelected()
{
    m_manager->remove(selectedBatch());
}

void MainWindow::applyWorkers(int workers)
{
    m_settings.setValue(WorkersKey, workers);
    if (workers <= 0)
        m_manager->pool().engine().setAutoWorkers(autoWorkerCap());
    else
        m_manager->pool().engine().setWorkers(workers);
}

void MainWindow::applyRate(double perSecond)
{
    m_settings.setValue(RateKey, perSecond);
    m_manager->pool().engine().setRateLimit(RateLimit{perSecond, 1.0});
}

void MainWindow::updateActions()
{
    const BatchId batch = selectedBatch();
    const bool active = m_manager->isActive(batch);
    const BatchState state = m_batchModel->stateOf(batch);
    const bool paused = state == BatchState::Paused || state == BatchState::Pausing;
    const Priority priority = m_manager->priority(batch);
    m_ui->actionPause->setEnabled(active && !paused && state != BatchState::Canceling);
    m_ui->actionResume->setEnabled(active && paused);
    m_ui->actionCancel->setEnabled(active && state != BatchState::Canceling);
    m_ui->actionPriorityUp->setEnabled(active && priority != Priority::High);
    m_ui->actionPriorityDown->setEnabled(active && priority != Priority::Low);
    m_ui->actionRetryFailed->setEnabled(batch != 0 && !active && isTerminal(state) &&
                                        m_manager->failedCount(batch) > 0);
    m_ui->actionOpenOutput->setEnabled(batch != 0);
    m_ui->actionRemove->setEnabled(batch != 0 && !active);
}

void MainWindow::updateStatus()
{
    const auto [finished, total] = m_batchModel->overallProgress();
    // With nothing to count, no bar: a range of 0..0 is Qt's animated busy indicator, which
    // kept an idle window drawing (issue 14, bug 8).
    m_overall->setVisible(total > 0);
    if (total == 0)
        return;
    m_overall->setMaximum(int(qMin<qint64>(total, INT_MAX)));
    m_overall->setValue(int(qMin<qint64>(finished, INT_MAX)));
}

void MainWindow::showStats(const PoolStats &stats)
{
    m_throughput->setText(tr("%1 images/s · %2 running · %3 queued · %4 workers")
                              .arg(stats.throughput, 0, 'f', 1)
                              .arg(stats.running)
                              .arg(stats.queued)
                              .arg(stats.workers));
}

void MainWindow::showSelectedItems()
{
    m_itemsModel->setBatch(selectedBatch());
}

int MainWindow::shutdownTimeoutSeconds() const
{
    return qMax(0, m_settings.value(TimeoutKey, DefaultShutdownTimeoutSeconds).toInt());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_readyToClose || !m_manager->hasActiveBatches()) {
        m_readyToClose = true;
        event->accept();
        return;
    }
    event->ignore();
    if (!m_manager->isShuttingDown())
        askBeforeClosing();
}

void MainWindow::askBeforeClosing()
{
    if (m_closeDialog)
        return m_closeDialog->show();
    int active = 0;
    for (int row = 0; row < m_batchModel->rowCount(); ++row)
        active += m_manager->isActive(m_batchModel->batchAt(row)) ? 1 : 0;
    m_closeDialog = new CloseDialog(active, shutdownTimeoutSeconds(), this);
    connect(m_closeDialog, &CloseDialog::quitRequested, this, &MainWindow::beginShutdown);
    connect(m_closeDialog, &QDialog::rejected, this, [this] {
        m_closeDialog->deleteLater();
        m_closeDialog = nullptr;
    });
    m_closeDialog->open();
}

void MainWindow::shutdownAndClose()
{
    if (!m_manager->hasActiveBatches()) {
        m_readyToClose = true;
        close();
        return;
    }
    if (!m_closeDialog)
        askBeforeClosing();
    m_closeDialog->showCountdown();
    beginShutdown();
}

void MainWindow::beginShutdown()
{
    if (m_manager->isShuttingDown())
        return;
    m_ui->menuBar->setEnabled(false);
    m_ui->mainToolBar->setEnabled(false);
    m_ui->dropArea->setEnabled(false);
    statusBar()->showMessage(tr("Stopping…"));
    connect(m_manager.get(), &BatchManager::shutdownFinished, this, &MainWindow::finishClosing);
    m_manager->beginShutdown(shutdownTimeoutSeconds() * 1000);
}

void MainWindow::finishClosing()
{
    m_readyToClose = true;
    if (m_closeDialog)
        m_closeDialog->accept();
    close();
}

} // namespace sluice::app
