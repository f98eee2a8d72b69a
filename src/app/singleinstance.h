// One Sluice window per user (issue 14, bug 10): a second `sluice PATH...` hands its paths to
// the window that runs and exits, instead of opening a second window with a pool and limits of
// its own. The running window listens on a local socket (QLocalServer) in the user's runtime
// folder ($XDG_RUNTIME_DIR, mode 0700); a start first tries to connect to it. A lock file held
// while deciding means two starts at the same moment still end up as one window, and a socket
// left by a window that crashed is replaced rather than trusted.
//
// The protocol is one QDataStream message per connection, the paths made absolute against the
// sender's working folder (a relative path means nothing to the other process), answered by
// one acknowledging byte once the window has them.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;

namespace sluice::app {

class SingleInstance : public QObject
{
    Q_OBJECT
public:
    // `socketPath`: where the socket lives; defaultSocketPath() for the application.
    explicit SingleInstance(QString socketPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    // The runtime folder's "sluice.socket" (QStandardPaths::RuntimeLocation).
    static QString defaultSocketPath();

    // Becomes the window's listener unless another Sluice answers: then that one is handed
    // `paths` (empty: it is only asked to come to the front) and true is returned, and the
    // caller exits. Blocks for at most `timeoutMs` waiting for the other one. False: this process
    // is the first; it listens from now on and emits pathsReceived for later starts.
    bool handOverOrListen(const QStringList &paths, int timeoutMs = 5000);
    bool isListening() const;
    // Why listening failed (a second window then still works, on its own); empty when it did not.
    QString error() const { return m_error; }

    // For a start that only hands over (the tests' second process): true when another Sluice
    // took the paths.
    static bool handOver(const QString &socketPath, const QStringList &paths, int timeoutMs);

signals:
    // Another start's paths (absolute; empty when it only asked for the window).
    void pathsReceived(const QStringList &paths);

private:
    void acceptConnections();

    QString m_socketPath;
    QLocalServer *m_server = nullptr;
    QString m_error;
};

} // namespace sluice::app
