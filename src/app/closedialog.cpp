#include "closedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtMath>

namespace sluice::app {

CloseDialog::CloseDialog(int activeBatches, int timeoutSeconds, QWidget *parent)
    : QDialog(parent)
    , m_timeoutSeconds(timeoutSeconds)
{
    setWindowTitle(tr("Quit Sluice"));
    setAccessibleName(tr("Quit Sluice"));
    m_message = new QLabel(
        tr("%n batch(es) still running.", nullptr, activeBatches) + QLatin1Char(' ') +
            tr("Images being processed get up to %1 s to finish; after that they are canceled "
               "and leave no partial files. Images still queued are not lost: the next start "
               "of Sluice offers to resume their batches.")
                .arg(timeoutSeconds),
        this);
    m_message->setWordWrap(true);
    m_countdown = new QLabel(this);
    m_countdown->setAccessibleName(tr("Time left"));
    auto *buttons = new QDialogButtonBox(this);
    m_quit = buttons->addButton(tr("&Wait and quit"), QDialogButtonBox::AcceptRole);
    m_keepOpen = buttons->addButton(tr("&Keep the window open"), QDialogButtonBox::RejectRole);
    m_keepOpen->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(m_countdown);
    layout->addWidget(buttons);
    connect(m_quit, &QPushButton::clicked, this, [this] {
        showCountdown();
        emit quitRequested();
    });
    connect(m_keepOpen, &QPushButton::clicked, this, &QDialog::reject);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &CloseDialog::updateCountdown);
}

void CloseDialog::showCountdown()
{
    m_quit->hide();
    m_keepOpen->hide();
    m_deadline = QDeadlineTimer(qint64(m_timeoutSeconds) * 1000);
    m_tick.start();
    updateCountdown();
}

int CloseDialog::secondsLeft() const
{
    return int(qCeil(double(m_deadline.remainingTime()) / 1000.0));
}

void CloseDialog::updateCountdown()
{
    m_countdown->setText(
        tr("Stopping: running images are canceled in %n s.", nullptr, qMax(0, secondsLeft())));
}

} // namespace sluice::app
