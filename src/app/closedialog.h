// Asked when the window closes while batches are active: wait for the running images (up to
// the shutdown timeout, shown as a countdown) and quit, or keep the window open. Once the
// shutdown runs (also after SIGTERM, which does not ask) it only shows the countdown.
#pragma once

#include <QDeadlineTimer>
#include <QDialog>
#include <QTimer>

class QLabel;
class QPushButton;

namespace sluice::app {

class CloseDialog : public QDialog
{
    Q_OBJECT
public:
    CloseDialog(int activeBatches, int timeoutSeconds, QWidget *parent = nullptr);

    // Switches to the countdown; the buttons go away. Called when the shutdown starts.
    void showCountdown();
    int secondsLeft() const;

signals:
    void quitRequested();

private:
    void updateCountdown();

    int m_timeoutSeconds;
    QDeadlineTimer m_deadline;
    QTimer m_tick;
    QLabel *m_message = nullptr;
    QLabel *m_countdown = nullptr;
    QPushButton *m_quit = nullptr;
    QPushButton *m_keepOpen = nullptr;
};

} // namespace sluice::app
