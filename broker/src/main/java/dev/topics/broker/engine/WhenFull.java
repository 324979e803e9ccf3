package dev.topics.broker.engine;

/**
 * What the engine does when storing a latest value would take the memory budget past its
 * refusal threshold ({@code --when-full}). Immutable.
 */
public enum WhenFull
{
    /** Refuse the {@code PUB} with {@code ERR out-of-memory}: nothing stored is ever lost. */
    REFUSE,
    /**
     * Drop the latest values of topics without subscribers, least recently published first, until
     * the new value fits; refuse only when that is not enough.
     */
    EVICT
}
