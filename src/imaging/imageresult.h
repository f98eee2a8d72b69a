// What processImage() reports for a Done or Skipped outcome (TaskOutcome::detail).
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QSize>
#include <QString>

namespace sluice {

struct ImageResult
{
    // Why a Skipped outcome was skipped (None for Done).
    enum class Skip : quint8
    {
        None,
        NotAnImage,   // by content; no output name was reserved
        UpToDate,     // incremental run: the existing output is current
        OutputExists, // conflict policy Skip
        DoneBefore,   // resumed run: the journal says an earlier run wrote this output
        Hidden,       // the scanner's reasons (InputItem::ScanSkip), never read
        SluiceOutput,
        LinkLoop,
        LinkRepeat
    };
    Skip skip = Skip::None;
    QString outputPath; // FolderSink: absolute path; ZipSink: entry name
    QSize inputSize;    // as displayed, after EXIF orientation
    QSize outputSize;
    qint64 outputBytes = 0;
    qint64 elapsedMs = 0;   // wall time inside processImage()
    QByteArray inputFormat; // "jpeg", "png", ...
    QByteArray outputFormat;
    int inputFrames = 0; // frames or pages of the input (only the first is converted); 0: unknown
    // Done with a reservation: what of the input did not reach the output, and why (metadata
    // that could not be read, corrected or written). Empty when everything did.
    QString note;
};

} // namespace sluice

Q_DECLARE_METATYPE(sluice::ImageResult)
