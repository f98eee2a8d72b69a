// Test helpers: a codec that says and does what a test tells it, and records what it is asked.
// Header-only; used by the codec registry and stage tests.
#pragma once

#include <QByteArray>
#include <QList>
#include <codec.h>
#include <memory>

namespace fakecodec {

using namespace sluice;

// Says what `probe` holds and hands over `decoded`; records every request.
class FakeDecoder final : public ImageDecoder
{
public:
    ImageProbe probeResult;
    DecodedImage decoded;
    QList<DecodeRequest> requests;

    ImageProbe probe() override { return probeResult; }
    DecodedImage decode(const DecodeRequest &request) override
    {
        requests << request;
        return decoded;
    }
};

// Encodes to `result` (or fails with `error`); records what it was given.
class FakeEncoder final : public ImageEncoder
{
public:
    explicit FakeEncoder(QByteArray format, bool keepsAlpha = true)
        : m_format(std::move(format))
        , m_keepsAlpha(keepsAlpha)
    {}
    QByteArray result = "encoded";
    QString error; // non-empty: encoding fails with it
    mutable QList<EncodeInput> inputs;
    mutable QList<EncodeSettings> settings;

    QByteArray format() const override { return m_format; }
    bool keepsAlpha() const override { return m_keepsAlpha; }
    EncodedImage encode(const EncodeInput &input, const EncodeSettings &with) const override
    {
        inputs << input;
        settings << with;
        if (!error.isEmpty())
            return {false, {}, error, {}};
        return {true, result, {}, {}};
    }

private:
    QByteArray m_format;
    bool m_keepsAlpha;
};

// Recognises content starting with `magic` (its decoders probe as format `name`), and has one
// FakeEncoder per format in `writes`.
class FakeCodec final : public ImageCodec
{
public:
    FakeCodec(QByteArray magic, QByteArray name, const QList<QByteArray> &writes = {})
        : m_magic(std::move(magic))
        , m_name(std::move(name))
    {
        for (const QByteArray &format : writes)
            encoders.push_back(std::make_unique<FakeEncoder>(format));
    }
    std::vector<std::unique_ptr<FakeEncoder>> encoders;

    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const override
    {
        if (!bytes.startsWith(m_magic))
            return nullptr;
        auto decoder = std::make_unique<FakeDecoder>();
        decoder->probeResult.format = m_name;
        decoder->probeResult.size = QSize(10, 10);
        return decoder;
    }
    const ImageEncoder *encoderFor(const QByteArray &format) const override
    {
        for (const auto &encoder : encoders) {
            if (encoder->format() == format)
                return encoder.get();
        }
        return nullptr;
    }

private:
    QByteArray m_magic;
    QByteArray m_name;
};

} // namespace fakecodec
