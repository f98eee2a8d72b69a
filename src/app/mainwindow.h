// The main window: a drop area and File → Add… queue batches with the recipe panel's current
// recipe; a table of batches (BatchModel, progress drawn by ProgressDelegate) with per-batch
// and global actions; the items of the selected batch (ItemsModel); pool controls (workers,
// rate) and overall progress in the status bar. Closing with work running asks first (see
// CloseDialog); shutdownAndClose() is the path that does not ask (SIGTERM, tests).
#pragma once

#include <QMainWindow>
#include <functional>
#include <memory>
#include <pooltypes.h>

class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QSettings;
class QSpinBox;

namespace Ui {
class MainWindow;
}

namespace sluice {
class DropArea;
struct PoolStats;
} // namespace sluice

namespace sluice::app {

class BatchManager;
class BatchModel;
class CloseDialog;
class ItemsModel;
class PresetStore;
class RecipePanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Settings (not owned) hold the recipe, presets, pool controls and "shutdownTimeoutSeconds".
    explicit MainWindow(QSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Queues one batch of these paths with the current recipe (a drop, File → Add…, or the
    // command line). Returns the batch, or 0 (after telling the user why).
    BatchId addInputs(const QStringList &paths);
    // Stops the pool with the shutdown timeout, without asking, then closes the window.
    void shutdownAndClose();
    int shutdownTimeoutSeconds() const;

    BatchManager *manager() const { return m_manager.get(); }
    BatchModel *batchModel() const { return m_batchModel; }
    ItemsModel *itemsModel() const { return m_itemsModel; }
    RecipePanel *recipePanel() const { return m_recipePanel; }
    DropArea *dropArea() const;
    // Offers to resume the batches an earlier session left unfinished (a close past the
    // shutdown timeout, a kill, a crash): a non-blocking question, "resumeDialog". Called once
    // the window is up; does nothing when there are none.
    void offerUnfinishedJobs();
    BatchId selectedBatch() const;
    void selectBatch(BatchId batch);
    // How Open Output Folder opens a folder (tests replace it); by default the desktop's file
    // manager through QDesktopServices. False: nothing could open it.
    void setFolderOpener(std::function<bool(const QUrl &)> opener);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setUpViews();
    void setUpPoolControls();
    void setUpStatusBar();
    void connectActions();
    void addFiles();
    void addFolder();
    void pauseSelected();
    void resumeSelected();
    void cancelSelected();
    void changeSelectedPriority(int step);
    void retrySelected();
    void openSelectedOutput();
    void removeSelected();
    void applyWorkers(int workers);
    void applyRate(double perSecond);
    void updateActions();
    void updateStatus();
    void showStats(const sluice::PoolStats &stats);
    void showSelectedItems();
    void showSelectedDetail();
    void offerToCopyPath(const QString &folder);
    void askBeforeClosing();
    void beginShutdown();
    void finishClosing();

    std::unique_ptr<Ui::MainWindow> m_ui;
    QSettings &m_settings;
    std::unique_ptr<PresetStore> m_presets;
    std::unique_ptr<BatchManager> m_manager;
    BatchModel *m_batchModel = nullptr;
    ItemsModel *m_itemsModel = nullptr;
    RecipePanel *m_recipePanel = nullptr;
    QSpinBox *m_workers = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QProgressBar *m_overall = nullptr;
    QLabel *m_throughput = nullptr;
    QLabel *m_pausedAll = nullptr; // "All batches are paused ...", while Pause All holds them
    CloseDialog *m_closeDialog = nullptr;
    std::function<bool(const QUrl &)> m_openFolder;
    double m_imagesPerSecond = 0;
    bool m_readyToClose = false;
};

} // namespace sluice::app
