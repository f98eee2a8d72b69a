#include "apptestutil.h"

#include <QAbstractItemView>
#include <QAction>
#include <QClipboard>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <batchmanager.h>
#include <batchmodel.h>
#include <droparea.h>
#include <failpoints.h>
#include <itemsmodel.h>
#include <mainwindow.h>
#include <recipepanel.h>
#include <thread>

using namespace sluice;
using namespace sluice::app;
using apptest::Patience;
using apptest::SchedulingSlack;
using apptest::str;

namespace {

// Sends what a file manager sends when the user drops these paths on the drop area.
void dropPaths(QWidget *target, const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const QPointF centre = QRectF(target->rect()).center();
    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

QAction *action(MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QLatin1String(name));
}

// Holds tasks until opened or canceled. The pool's threads read it until the window's manager
// has stopped them, so a test declares its gate before its window (see tst_batchmanager.cpp).
struct Gate
{
    std::atomic<bool> open{false};
    void install(MainWindow &window)
    {
        window.manager()->setTaskHook([this](const TaskContext &ctx) {
            while (!open.load() && !ctx.isCanceled())
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        });
    }
};

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void droppedFolderAndZipFinish();
    void pauseResumeAndPriorityFromActions();
    void cancelFromAction();
    void workersAndRateAreLive();
    void closeWithSlowWorkStopsInTime();
    void closeAsksAndCanKeepTheWindowOpen();
    void offersToResumeWhatAClosePastTheTimeoutLeft();
    void fullDiskStateIsShortWithTheReasonBeside();
    void openOutputWithoutAFileManagerOffersThePath();
    void tabLeavesTheTables();
    void idleWindowHasNoBusyBar();
    void ratesShowOnlyWhileABatchMoves();

private:
    std::unique_ptr<QSettings> m_settings;
    QTemporaryDir m_dir;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_MainWindow::init()
{
    static int n = 0;
    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s%1.ini").arg(++n)),
                                             QSettings::IniFormat);
    m_settings->setValue(QStringLiteral("pool/workers"), 2);
    m_settings->setValue(QStringLiteral("journal/directory"),
                         m_dir.filePath(QStringLiteral("journals%1").arg(n)));
}

void tst_MainWindow::droppedFolderAndZipFinish()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("photos"), 6);
    const QString zip = apptest::makeImageZip(dir.path(), QStringLiteral("supplier.zip"), 4);
    MainWindow window(*m_settings);
    window.show();
    dropPaths(window.dropArea(), {folder});
    dropPaths(window.dropArea(), {zip});
    BatchModel *model = window.batchModel();
    QCOMPARE(model->rowCount(), 2);
    const BatchId first = model->batchAt(0), second = model->batchAt(1);
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(first)), str(BatchState::Finished), Patience);
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(second)), str(BatchState::Finished), Patience);
    QCOMPARE(model->countersOf(first).done, 6);
    QCOMPARE(model->countersOf(second).done, 4);
    QCOMPARE(testimages::listFiles(dir.filePath(QStringLiteral("photos-sluice"))).size(), 6);
    QCOMPARE(window.selectedBatch(), first);
    QTRY_COMPARE_WITH_TIMEOUT(window.itemsModel()->rowCount(), 6, Patience);
    window.selectBatch(second);
    QCOMPARE(window.itemsModel()->rowCount(), 4);
}

void tst_MainWindow::pauseResumeAndPriorityFromActions()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("p"), 8);
    Gate gate;
    MainWindow window(*m_settings);
    gate.install(window);
    const BatchId batch = window.addInputs({folder});
    window.selectBatch(batch);
    BatchModel *model = window.batchModel();
    QVERIFY(action(window, "actionPause")->isEnabled());
    action(window, "actionPause")->trigger();
    gate.open = true;
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Paused), Patience);
    QTRY_VERIFY_WITH_TIMEOUT(action(window, "actionResume")->isEnabled(), Patience);
    action(window, "actionPriorityUp")->trigger();
    QCOMPARE(int(window.manager()->priority(batch)), int(Priority::High));
    QVERIFY(!action(window, "actionPriorityUp")->isEnabled());
    action(window, "actionPriorityDown")->trigger();
    action(window, "actionPriorityDown")->trigger();
    QCOMPARE(model->index(0, BatchModel::PriorityColumn).data().toString(), QStringLiteral("Low"));
    action(window, "actionResume")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model->countersOf(batch).done, 8);
    QTRY_VERIFY_WITH_TIMEOUT(action(window, "actionRemove")->isEnabled(), Patience);
    action(window, "actionRemove")->trigger();
    QCOMPARE(model->rowCount(), 0);
}

void tst_MainWindow::cancelFromAction()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("c"), 8);
    Gate gate;
    MainWindow window(*m_settings);
    gate.install(window);
    const BatchId batch = window.addInputs({folder});
    window.selectBatch(batch);
    QTRY_VERIFY_WITH_TIMEOUT(window.batchModel()->countersOf(batch).running > 0, Patience);
    action(window, "actionCancel")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(str(window.batchModel()->stateOf(batch)), str(BatchState::Canceled),
                              Patience);
    QCOMPARE(window.batchModel()->countersOf(batch).done, 0);
    QVERIFY(testimages::listFiles(dir.filePath(QStringLiteral("c-sluice"))).isEmpty());
}

void tst_MainWindow::workersAndRateAreLive()
{
    MainWindow window(*m_settings);
    auto *workers = window.findChild<QSpinBox *>(QStringLiteral("workersSpinBox"));
    QVERIFY(workers);
    workers->setValue(3);
    QCOMPARE(window.manager()->pool().engine().targetWorkers(), 3);
    QVERIFY(!window.manager()->pool().engine().isAutoWorkers());
    workers->setValue(0);
    QVERIFY(window.manager()->pool().engine().isAutoWorkers());
    auto *rate = window.findChild<QDoubleSpinBox *>(QStringLiteral("rateSpinBox"));
    QVERIFY(rate);
    rate->setValue(5);
    QCOMPARE(window.manager()->pool().engine().rateLimit().perSecond, 5.0);
    QCOMPARE(m_settings->value(QStringLiteral("pool/rate")).toDouble(), 5.0);
}

void tst_MainWindow::closeWithSlowWorkStopsInTime()
{
    m_settings->setValue(QStringLiteral("shutdownTimeoutSeconds"), 1);
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("slow"), 8);
    const QString zip = apptest::makeImageZip(dir.path(), QStringLiteral("slow.zip"), 4);
    Gate gate; // never opened: every image is slower than the timeout
    MainWindow window(*m_settings);
    gate.install(window);
    window.show();
    dropPaths(window.dropArea(), {folder});
    dropPaths(window.dropArea(), {zip});
    QTRY_VERIFY_WITH_TIMEOUT(window.manager()->pool().engine().stats().running > 0, Patience);
    QElapsedTimer clock;
    clock.start();
    window.shutdownAndClose();
    // In time: the configured 1 s and the pool's grace, not the never-ending work.
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), Patience);
    QVERIFY2(clock.elapsed() < 1000 + 200 + SchedulingSlack,
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY(testimages::listFiles(dir.filePath(QStringLiteral("slow-sluice"))).isEmpty());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("slow-sluice.zip"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("slow-sluice.zip.part"))));
}

void tst_MainWindow::closeAsksAndCanKeepTheWindowOpen()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("k"), 4);
    Gate gate;
    MainWindow window(*m_settings);
    gate.install(window);
    window.show();
    window.addInputs({folder});
    QVERIFY(!window.close()); // asks instead
    QDialog *dialog = window.findChild<QDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    dialog->reject(); // "Keep the window open"
    QVERIFY(window.isVisible());
    QVERIFY(!window.manager()->isShuttingDown());
    gate.open = true;
}

// A close past the shutdown timeout leaves the batch unfinished; the next window offers it,
// and Resume finishes it without redoing or duplicating anything.
void tst_MainWindow::offersToResumeWhatAClosePastTheTimeoutLeft()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("later"), 6);
    m_settings->setValue(QStringLiteral("shutdownTimeoutSeconds"), 1);
    QString output;
    {
        Gate gate;
        MainWindow window(*m_settings);
        window.show();
        gate.install(window);
        const BatchId batch = window.addInputs({folder});
        QVERIFY(batch != 0);
        output = window.manager()->outputPath(batch);
        QTRY_VERIFY_WITH_TIMEOUT(window.batchModel()->countersOf(batch).running > 0, Patience);
        window.shutdownAndClose();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), Patience);
    }
    QVERIFY(testimages::listFiles(output).isEmpty());

    MainWindow window(*m_settings);
    window.show();
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (box = window.findChild<QMessageBox *>(QStringLiteral("resumeDialog"))), Patience);
    QVERIFY2(box->informativeText().contains(QDir::toNativeSeparators(output)),
             qPrintable(box->informativeText()));
    auto *resume = box->findChild<QPushButton *>(QStringLiteral("resumeButton"));
    QVERIFY(resume);
    resume->click();
    QTRY_COMPARE_WITH_TIMEOUT(window.batchModel()->rowCount(), 1, Patience);
    const BatchId batch = window.batchModel()
                              ->data(window.batchModel()->index(0, 0), BatchModel::BatchIdRole)
                              .value<BatchId>();
    QTRY_COMPARE_WITH_TIMEOUT(str(window.batchModel()->stateOf(batch)), str(BatchState::Finished),
                              Patience);
    QCOMPARE(window.batchModel()->countersOf(batch).done, 6);
    QCOMPARE(testimages::listFiles(output).size(), 6);
    QVERIFY(window.manager()->unfinishedJobs().isEmpty());
    window.shutdownAndClose();
}

// Issue 14, bug 4: a full disk keeps the State column short ("Paused: disk full"); the whole
// reason is in its tooltip and in the line about the selected batch, which also says where the
// outputs go (bug 5).
void tst_MainWindow::fullDiskStateIsShortWithTheReasonBeside()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("full"), 3);
    QVERIFY(Failpoints::configure(QStringLiteral("write=enospc:once")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    MainWindow window(*m_settings);
    auto *detail = window.findChild<QLabel *>(QStringLiteral("batchDetail"));
    QVERIFY(detail);
    QVERIFY(detail->text().startsWith(QLatin1String("Select a batch")));
    const BatchId batch = window.addInputs({folder});
    window.selectBatch(batch);
    BatchModel *model = window.batchModel();
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Paused), Patience);
    const QModelIndex state = model->index(0, BatchModel::StateColumn);
    QCOMPARE(state.data().toString(), QStringLiteral("Paused: disk full"));
    QVERIFY2(state.data(Qt::ToolTipRole).toString().contains(QLatin1String("disk is full")),
             qPrintable(state.data(Qt::ToolTipRole).toString()));
    const QString output = QDir::toNativeSeparators(window.manager()->outputPath(batch));
    QTRY_VERIFY2_WITH_TIMEOUT(detail->text().contains(QLatin1String("disk is full")),
                              qPrintable(detail->text()), Patience);
    QVERIFY2(detail->text().startsWith(QStringLiteral("Output: ") + output),
             qPrintable(detail->text()));
    window.manager()->resume(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Finished), Patience);
    QTRY_COMPARE_WITH_TIMEOUT(detail->text(), QStringLiteral("Output: ") + output, Patience);
    QVERIFY(state.data(Qt::ToolTipRole).isNull());
}

// Issue 14, bug 5: with no file manager, Open Output Folder says so and offers to copy the path.
void tst_MainWindow::openOutputWithoutAFileManagerOffersThePath()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("o"), 2);
    MainWindow window(*m_settings);
    QStringList asked;
    window.setFolderOpener([&asked](const QUrl &url) {
        asked << url.toLocalFile();
        return false;
    });
    const BatchId batch = window.addInputs({folder});
    window.selectBatch(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(window.batchModel()->stateOf(batch)), str(BatchState::Finished),
                              Patience);
    QTRY_VERIFY_WITH_TIMEOUT(action(window, "actionOpenOutput")->isEnabled(), Patience);
    action(window, "actionOpenOutput")->trigger();
    QCOMPARE(asked.size(), 1);
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("noFileManagerDialog"));
    QVERIFY(box);
    const QString expected = QDir::toNativeSeparators(asked.first());
    QVERIFY2(box->text().contains(expected), qPrintable(box->text()));
    auto *copy = box->findChild<QPushButton *>(QStringLiteral("copyPathButton"));
    QVERIFY(copy);
    copy->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), expected);
}

// Issue 14, bug 6: Tab moves on from the batch and item tables instead of walking their cells.
void tst_MainWindow::tabLeavesTheTables()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("t"), 2);
    MainWindow window(*m_settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const BatchId batch = window.addInputs({folder});
    window.selectBatch(batch);
    for (const char *name : {"batchView", "itemView"}) {
        auto *view = window.findChild<QAbstractItemView *>(QLatin1String(name));
        QVERIFY(view);
        QVERIFY2(!view->tabKeyNavigation(), name);
        view->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(view->hasFocus());
        QTest::keyClick(view, Qt::Key_Tab);
        QTRY_VERIFY2(!view->hasFocus(), name);
    }
}

// Issue 14, bug 8: with nothing to count, the overall bar was Qt's animated busy indicator
// (a 0..0 range), and the idle window kept drawing it.
void tst_MainWindow::idleWindowHasNoBusyBar()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("i"), 2);
    MainWindow window(*m_settings);
    window.show();
    QProgressBar *overall = nullptr;
    for (QProgressBar *bar : window.findChildren<QProgressBar *>())
        if (bar->accessibleName() == QLatin1String("Overall progress"))
            overall = bar;
    QVERIFY(overall);
    QVERIFY(!overall->isVisible());
    const BatchId batch = window.addInputs({folder});
    QTRY_COMPARE_WITH_TIMEOUT(str(window.batchModel()->stateOf(batch)), str(BatchState::Finished),
                              Patience);
    QTRY_VERIFY_WITH_TIMEOUT(overall->isVisible(), Patience);
    QCOMPARE(overall->maximum(), 2);
    QCOMPARE(overall->value(), 2);
}

// Issue 14, bug 7: a paused batch kept "3.0 images/s, ETA 11 s", a batch that stopped moving
// (starved by a higher priority) kept its last rate, and Pause All was shown nowhere. Images
// are let through one at a time here, so the figures move only when the test says.
void tst_MainWindow::ratesShowOnlyWhileABatchMoves()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("r"), 40);
    QSemaphore permits;
    std::atomic<bool> open{false};
    MainWindow window(*m_settings);
    window.manager()->setTaskHook([&](const TaskContext &ctx) {
        while (!open.load() && !ctx.isCanceled() && !permits.tryAcquire(1, 5)) {
        }
    });
    const auto openAll = qScopeGuard([&] { open = true; });
    window.show();
    const BatchId batch = window.addInputs({folder});
    BatchModel *model = window.batchModel();
    const int row = model->rowOf(batch);
    const auto text = [&](int column) {
        return model->index(row, column).data().toString();
    };
    const auto rate = [&] {
        return text(BatchModel::RateColumn);
    };
    // One more image each time the last one is done, until the batch shows a rate.
    qint64 released = 0;
    const auto moveUntilARateShows = [&] {
        if (model->countersOf(batch).done >= released) {
            permits.release();
            ++released;
        }
        return !rate().isEmpty();
    };
    QTRY_VERIFY_WITH_TIMEOUT(moveUntilARateShows(), Patience);
    QVERIFY(!text(BatchModel::EtaColumn).isEmpty() ||
            model->index(row, 0).data(BatchModel::ScanningRole).toBool());

    // Paused: no rate, no ETA (already while the images that run finish).
    window.manager()->pause(batch);
    QTRY_VERIFY_WITH_TIMEOUT(rate().isEmpty(), Patience);
    permits.release(2); // one for each worker: what runs finishes, and nothing new starts
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Paused), Patience);
    QCOMPARE(rate(), QString());
    QCOMPARE(text(BatchModel::EtaColumn), QString());

    // Going again, then starved (nothing done for two seconds): the rate goes.
    window.manager()->resume(batch);
    released = model->countersOf(batch).done;
    QTRY_VERIFY_WITH_TIMEOUT(moveUntilARateShows(), Patience);
    QTRY_COMPARE_WITH_TIMEOUT(rate(), QString(), Patience);
    QCOMPARE(text(BatchModel::EtaColumn), QString());
    QCOMPARE(str(model->stateOf(batch)), str(BatchState::Running));

    // Pause All: said in the status bar and in the State column, and lifted by Resume All.
    auto *notice = window.findChild<QLabel *>(QStringLiteral("pausedAllNotice"));
    QVERIFY(notice);
    QVERIFY(!notice->isVisible());
    action(window, "actionPauseAll")->trigger();
    QVERIFY(notice->isVisible());
    QCOMPARE(text(BatchModel::StateColumn), BatchModel::pausedAllText());
    QCOMPARE(model->index(row, BatchModel::StateColumn).data(Qt::ToolTipRole).toString(),
             BatchModel::pausedAllReason());
    action(window, "actionResumeAll")->trigger();
    QVERIFY(!notice->isVisible());
    QCOMPARE(text(BatchModel::StateColumn), BatchModel::stateText(BatchState::Running));
    open = true;
    QTRY_COMPARE_WITH_TIMEOUT(str(model->stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(rate(), QString());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
