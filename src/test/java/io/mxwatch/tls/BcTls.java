package io.mxwatch.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedDecryptor;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDHConfig;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedDecryptor;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A TLS backend with BouncyCastle's low-level server, for settings the JDK refuses: TLS 1.0 and
 * 1.1, SHA-1 key-exchange signatures, CAMELLIA and ARIA suites, a home-made DH group.
 *
 * @param versions protocol versions the server accepts
 * @param suites cipher suites in server preference order
 * @param leaf the leaf certificate and key
 * @param chain the certificates sent, leaf first
 * @param sha1Signatures sign the key exchange with SHA-1 when the client offers it (and SHA-224)
 * @param preferSha1 pick SHA-1 even when the client offers SHA-256 too
 * @param extendedMasterSecret echo extended_master_secret (RFC 7627)
 * @param dhGroup the DHE group, or null for BouncyCastle's default
 * @param serverOrder choose suites in server order; false follows the client's order
 */
public record BcTls(
    List<ProtocolVersion> versions,
    List<Integer> suites,
    TestPki.Issued leaf,
    List<X509Certificate> chain,
    boolean sha1Signatures,
    boolean preferSha1,
    boolean extendedMasterSecret,
    DHGroup dhGroup,
    boolean serverOrder)
    implements SmtpFront.TlsBackend {

  public static BcTls of(
      List<ProtocolVersion> versions,
      List<Integer> suites,
      TestPki.Issued leaf,
      List<X509Certificate> chain) {
    return new BcTls(versions, suites, leaf, chain, false, false, true, null, true);
  }

  public BcTls withSha1Signatures(boolean prefer) {
    return new BcTls(
        versions, suites, leaf, chain, true, prefer, extendedMasterSecret, dhGroup, serverOrder);
  }

  public BcTls withoutExtendedMasterSecret() {
    return new BcTls(
        versions, suites, leaf, chain, sha1Signatures, preferSha1, false, dhGroup, serverOrder);
  }

  public BcTls withDhGroup(DHGroup group) {
    return new BcTls(
        versions,
        suites,
        leaf,
        chain,
        sha1Signatures,
        preferSha1,
        extendedMasterSecret,
        group,
        serverOrder);
  }

  public BcTls withClientOrder() {
    return new BcTls(
        versions,
        suites,
        leaf,
        chain,
        sha1Signatures,
        preferSha1,
        extendedMasterSecret,
        dhGroup,
        false);
  }

  @Override
  public SmtpFront.Streams accept(Socket socket) throws IOException {
    BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    TlsServerProtocol protocol =
        new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
    protocol.accept(new Server(crypto));
    return new SmtpFront.Streams(protocol.getInputStream(), protocol.getOutputStream());
  }

  private final class Server extends DefaultTlsServer {
    private final BcTlsCrypto crypto;

    Server(BcTlsCrypto crypto) {
      super(crypto);
      this.crypto = crypto;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return versions.toArray(new ProtocolVersion[0]);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return suites.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected boolean preferLocalCipherSuites() {
      return serverOrder;
    }

    @Override
    public boolean shouldUseExtendedMasterSecret() {
      return extendedMasterSecret;
    }

    @Override
    public TlsDHConfig getDHConfig() throws IOException {
      return dhGroup == null ? super.getDHConfig() : new TlsDHConfig(dhGroup);
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
      return signer(SignatureAlgorithm.rsa);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
      return signer(SignatureAlgorithm.ecdsa);
    }

    @Override
    protected TlsCredentialedDecryptor getRSAEncryptionCredentials() throws IOException {
      return new BcDefaultTlsCredentialedDecryptor(crypto, certificate(false), privateKey());
    }

    private TlsCredentialedSigner signer(short signature) throws IOException {
      boolean isEc = leaf.key() instanceof ECPrivateKey;
      if (isEc != (signature == SignatureAlgorithm.ecdsa)) {
        return null;
      }
      boolean tls13 = TlsUtils.isTLSv13(context);
      SignatureAndHashAlgorithm algorithm = null;
      if (tls13) {
        algorithm =
            isEc
                ? SignatureAndHashAlgorithm.getInstance(
                    HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)
                : SignatureAndHashAlgorithm.rsa_pss_rsae_sha256;
      } else if (TlsUtils.isTLSv12(context)) {
        algorithm = choose(context.getSecurityParametersHandshake().getClientSigAlgs(), signature);
      }
      return new BcDefaultTlsCredentialedSigner(
          new TlsCryptoParameters(context), crypto, privateKey(), certificate(tls13), algorithm);
    }

    private SignatureAndHashAlgorithm choose(Vector<?> offered, short signature)
        throws TlsFatalAlert {
      List<Short> hashes = new ArrayList<>();
      if (preferSha1) {
        hashes.add(HashAlgorithm.sha1);
      }
      hashes.addAll(List.of(HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512));
      if (sha1Signatures) {
        hashes.add(HashAlgorithm.sha1);
        hashes.add(HashAlgorithm.sha224);
      }
      for (short hash : hashes) {
        SignatureAndHashAlgorithm candidate =
            SignatureAndHashAlgorithm.getInstance(hash, signature);
        if (offered != null && offered.contains(candidate)) {
          return candidate;
        }
      }
      throw new TlsFatalAlert(
          AlertDescription.handshake_failure, "no acceptable signature algorithm");
    }

    private AsymmetricKeyParameter privateKey() throws IOException {
      return PrivateKeyFactory.createKey(leaf.key().getEncoded());
    }

    private Certificate certificate(boolean tls13) throws IOException {
      List<TlsCertificate> certificates = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        try {
          certificates.add(crypto.createCertificate(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
          throw new IOException(e);
        }
      }
      if (!tls13) {
        return new Certificate(certificates.toArray(new TlsCertificate[0]));
      }
      CertificateEntry[] entries =
          certificates.stream()
              .map(c -> new CertificateEntry(c, null))
              .toArray(CertificateEntry[]::new);
      return new Certificate(TlsUtils.EMPTY_BYTES, entries);
    }
  }
}
