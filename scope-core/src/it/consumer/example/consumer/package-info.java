/**
 * A consumer of the packaged scope-core jar: run on the class path and on the module path by
 * {@code io.scopekv.ConsumerIT}.
 */
package example.consumer;
