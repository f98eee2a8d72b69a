#include "singleinstance.h"

#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>

namespace sluice::app {

namespace {

constexpr QDataStream::Version StreamVersion = QDataStream::Qt_6_0;
constexpr qint64 MaxMessageBytes = 16 * 1024 * 1024; // paths, not images
constexpr char Acknowledged = '1';

enum class Answer
{
    Taken,    // another Sluice has the paths
    NoServer, // nobody listens (no socket, or one left by a window that is gone)
    NoAnswer  // something listens but did not take them in time
};

QStringList absolute(const QStringList &paths)
{
    QStringList out;
    for (const QString &path : paths)
        out << QFileInfo(path).absoluteFilePath();
    return out;
}

Answer offer(const QString &socketPath, const QStringList &paths, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (!socket.waitForConnected(timeoutMs))
        return socket.error() == QLocalSocket::SocketTimeoutError ? Answer::NoAnswer
                                                                  : Answer::NoServer;
    QByteArray message;
    QDataStream out(&message, QIODevice::WriteOnly);
    out.setVersion(StreamVersion);
    out << absolute(paths);
    socket.write(message);
    if (!socket.waitForBytesWritten(timeoutMs))
        return Answer::NoAnswer;
    while (socket.bytesAvailable() < 1)
        if (!socket.waitForReadyRead(timeoutMs))
            return Answer::NoAnswer;
    char answer = 0;
    socket.getChar(&answer);
    return answer == Acknowledged ? Answer::Taken : Answer::NoAnswer;
}

} // namespace

SingleInstance::SingleInstance(QString socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(std::move(socketPath))
{}

SingleInstance::~SingleInstance() = default; // the server closes and removes its socket

QString SingleInstance::defaultSocketPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation))
        .filePath(QStringLiteral("sluice.socket"));
}

bool SingleInstance::handOver(const QString &socketPath, const QStringList &paths, int timeoutMs)
{
    return offer(socketPath, paths, timeoutMs) == Answer::Taken;
}

bool SingleInstance::handOverOrListen(const QStringList &paths, int timeoutMs)
{
    // Held while deciding: of two starts at the same moment, the second finds the first
    // listening instead of also removing the socket and listening itself.
    QLockFile lock(m_socketPath + QStringLiteral(".lock"));
    lock.setStaleLockTime(30000);
    const bool locked = lock.tryLock(timeoutMs);
    switch (offer(m_socketPath, paths, timeoutMs)) {
    case Answer::Taken:
        return true;
    case Answer::NoAnswer:
        m_error = QStringLiteral("another Sluice window did not answer; this one runs on its own");
        return false;
    case Answer::NoServer:
        break;
    }
    if (!locked) {
        m_error =
            QStringLiteral("could not lock %1; this window runs on its own").arg(lock.fileName());
        return false;
    }
    QLocalServer::removeServer(m_socketPath); // a socket whose window is gone
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_socketPath)) {
        m_error = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
    return false;
}

bool SingleInstance::isListening() const
{
    return m_server && m_server->isListening();
}

void SingleInstance::acceptConnections()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (socket->bytesAvailable() > MaxMessageBytes) {
                socket->abort();
                return;
            }
            QDataStream in(socket);
            in.setVersion(StreamVersion);
            in.startTransaction();
            QStringList paths;
            in >> paths;
            if (!in.commitTransaction())
                return; // the rest of the message is still on its way
            emit pathsReceived(paths);
            socket->putChar(Acknowledged);
            socket->flush();
            socket->disconnectFromServer();
        });
    }
}

} // namespace sluice::app
