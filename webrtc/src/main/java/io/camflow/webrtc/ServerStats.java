package io.camflow.webrtc;

/**
 * Counters of the shared port.
 *
 * @param datagramsReceived every datagram read
 * @param datagramsDropped those that belonged to no session or could not be parsed
 * @param stunAnswered Binding requests answered (valid checks)
 * @param stunRejected Binding requests and other STUN left unanswered (unknown ufrag, bad
 *     integrity, …)
 * @param checksSent the server's own checks to peer addresses not proven yet (before media may move
 *     there)
 * @param checksAnswered those answered: the address is proven
 * @param handshakes DTLS handshakes running now
 * @param handshakesRefused ClientHellos dropped because their address, or the server, had as many
 *     handshakes running as allowed (the browser retransmits them)
 * @param sessions sessions open now
 * @param addresses peer addresses routed to a session now (each session keeps a few, none after it
 *     ends)
 */
public record ServerStats(
    long datagramsReceived,
    long datagramsDropped,
    long stunAnswered,
    long stunRejected,
    long checksSent,
    long checksAnswered,
    int handshakes,
    long handshakesRefused,
    int sessions,
    int addresses) {}
